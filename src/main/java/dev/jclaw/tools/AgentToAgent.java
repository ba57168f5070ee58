package dev.jclaw.tools;

import dev.jclaw.routing.SessionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What follows a {@code sessions_send} in the background, as OpenClaw does it: up to
 * {@code session.agentToAgent.maxPingPongTurns} steps that carry each reply to the other side
 * (stopping at an empty reply or exactly {@value #REPLY_SKIP}), then an announce step on the target
 * (exactly {@value #ANNOUNCE_SKIP} stays silent). Every step is a run of its own, queued per target
 * session ({@code nested:<session>}), waited for at most {@link #STEP_WAIT} and aborted after that.
 */
final class AgentToAgent {
    private static final Logger log = LoggerFactory.getLogger(AgentToAgent.class);
    static final String REPLY_SKIP = "REPLY_SKIP";
    static final String ANNOUNCE_SKIP = "ANNOUNCE_SKIP";
    /** The bound on each background step (OpenClaw: 60 s). */
    static final Duration STEP_WAIT = Duration.ofSeconds(60);
    /** A step's own run timeout: a little over the wait, so the wait decides. */
    private static final Duration STEP_RUN_TIMEOUT = STEP_WAIT.plusSeconds(30);

    private AgentToAgent() {}

    /** A turn on {@code to}'s session carrying {@code message} from {@code from}. */
    static TurnRequest step(SessionKey from, String fromAgent, SessionKey to, String message, String systemNote) {
        return new TurnRequest(to.agentId(), to, message, TurnRequest.Kind.NESTED, systemNote, STEP_RUN_TIMEOUT, false, null,
                null, Map.of("kind", "inter_session", "sourceSessionKey", from.toString(), "sourceAgentId", fromAgent));
    }

    /** Waits for the first reply, then ping-pongs and announces, on a virtual thread of its own. */
    static void continueInBackground(AgentServices services, SessionKey requester, String requesterAgent, SessionKey target,
                                     TurnHandle first) {
        Thread.ofVirtual().name("a2a-" + first.runId()).start(() -> {
            try {
                String reply = await(first);
                int maxTurns = services.config().session().maxPingPongTurns();
                SessionKey speaker = target;
                SessionKey listener = requester;
                for (int turn = 1; turn <= maxTurns && reply != null && !reply.isBlank() && !reply.strip().equals(REPLY_SKIP); turn++) {
                    String speakerAgent = speaker.agentId();
                    TurnHandle next = services.startTurn(step(speaker, speakerAgent, listener,
                            "[" + speakerAgent + " replied] " + reply,
                            "Agent '" + speakerAgent + "' (session " + speaker + ") answered your exchange (turn " + turn + " of "
                                    + maxTurns + "). Reply to continue, or answer exactly " + REPLY_SKIP + " to end it."));
                    reply = await(next);
                    SessionKey swap = speaker;
                    speaker = listener;
                    listener = swap;
                }
                TurnHandle announce = services.startTurn(step(requester, requesterAgent, target,
                        "The exchange with agent '" + requesterAgent + "' is over. Announce its outcome to your user in one message, "
                                + "or answer exactly " + ANNOUNCE_SKIP + " to stay silent.",
                        "This is the announce step of an agent-to-agent exchange started by session " + requester + "."));
                String announced = await(announce);
                if (announced != null && !announced.strip().equals(ANNOUNCE_SKIP)) {
                    log.debug("agent-to-agent exchange {} → {} announced: {}", requester, target, announced);
                }
            } catch (IllegalStateException e) {
                log.debug("agent-to-agent exchange {} → {} stopped: {}", requester, target, e.getMessage()); // shutting down
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The turn's reply, or null when it failed or did not answer within {@link #STEP_WAIT} (the exchange then ends). */
    private static String await(TurnHandle turn) throws InterruptedException {
        try {
            TurnHandle.TurnOutcome outcome = turn.outcome().get(STEP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return outcome.ok() ? outcome.text() : null;
        } catch (TimeoutException e) {
            turn.abort("the agent-to-agent step gave no answer within " + STEP_WAIT.toSeconds() + " s"); // never later, out of context
            log.info("agent-to-agent step {} on {} gave no answer within {} s; the exchange ends", turn.runId(), turn.sessionKey(),
                    STEP_WAIT.toSeconds());
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }
}
