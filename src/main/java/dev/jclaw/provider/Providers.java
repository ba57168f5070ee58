package dev.jclaw.provider;

import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.ModelRef;
import dev.jclaw.config.ModelSelection;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The model providers of one config: runs each turn on the agent's primary model, retrying
 * transient failures, then on each fallback in order.
 *
 * <p>Design note. A turn is one loop on the caller's (virtual) thread: for each model of the
 * selection, up to {@link RetryPolicy#attemptsPerModel()} {@link Attempt}s, one at a time. Each
 * attempt owns one {@link Exchange} (the thread reading the stream, the connection) and closes it
 * before the next attempt starts or the turn returns, whatever ended it; so after {@code chat}
 * returns or throws, nothing of the turn is running. Every wait — the answer, the backoff — is
 * bounded by the turn's deadline and woken by an interrupt, which aborts the turn.
 *
 * <ul>
 *   <li>Retried with backoff on the same model: 408, 429, 5xx, timeouts (the stall timeout),
 *       connection errors, an Anthropic overload in mid-stream.</li>
 *   <li>Straight to the next fallback: other 4xx (bad key, unknown model, bad request), malformed
 *       answers, a model that is not configured.</li>
 * </ul>
 *
 * <p>Clients are built per provider/model on first use and kept until {@link #close()}; they share
 * one HTTP client. Meters: {@code jclaw.provider.turns}, {@code jclaw.provider.attempts}.
 */
public final class Providers implements ModelClient, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Providers.class);
    /** A deadline this far out is no deadline; keeps {@code nanoTime} arithmetic from overflowing. */
    private static final long MAX_TIMEOUT_NANOS = Duration.ofDays(365).toNanos();

    static final String NO_MODEL = "No model is configured for this agent. Set agents.defaults.model (or this agent's "
            + "agents.list[].model) to \"provider/model\": for example \"anthropic/claude-sonnet-4-5\" with ANTHROPIC_API_KEY set, "
            + "\"openai/gpt-4.1\" with OPENAI_API_KEY set, or \"ollama/llama3.2\" with Ollama running on this machine. "
            + "Other providers are declared in models.providers.<id> {baseUrl, api, apiKey}.";

    private final Endpoints endpoints;
    private final RetryPolicy retry;
    private final ProviderMetrics metrics;
    private final HttpTransport transport = new HttpTransport();
    private final Map<ModelRef, StreamingChatModel> models = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private Providers(JClawConfig config, RetryPolicy retry, MeterRegistry registry, Function<String, String> env) {
        this.endpoints = new Endpoints(Objects.requireNonNull(config, "config"), env);
        this.retry = Objects.requireNonNull(retry, "retry");
        this.metrics = new ProviderMetrics(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Providers for {@code config}'s {@code models.providers}, plus the well-known ones a model ref
     * may name unconfigured ({@code openai}, {@code anthropic}, {@code openrouter}, {@code ollama}),
     * their keys from the environment or {@code env.vars}. Never fails: a provider that cannot be
     * used fails the turns that need it, with the reason.
     */
    public static Providers from(JClawConfig config, RetryPolicy retry, MeterRegistry registry) {
        return new Providers(config, retry, registry, System::getenv);
    }

    /** As {@link #from(JClawConfig, RetryPolicy, MeterRegistry)}, with {@code env} standing in for the process environment. */
    static Providers from(JClawConfig config, RetryPolicy retry, MeterRegistry registry, Function<String, String> env) {
        return new Providers(config, retry, registry, env);
    }

    /**
     * Runs one turn. Text deltas reach {@code listener} as they arrive, on a thread of the call.
     *
     * @throws ProviderException     NOT_CONFIGURED at once when no model of the selection can be used;
     *                               ALL_FAILED when every attempt failed; TIMEOUT when {@code timeout}
     *                               passed; ABORTED when the calling thread was interrupted (its
     *                               interrupt status is kept)
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public ChatResult chat(ModelSelection selection, ChatRequest request, ChatListener listener, Duration timeout) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        if (closed) throw new IllegalStateException("providers are closed");
        ChatListener events = listener == null ? ChatListener.NONE : listener;
        long started = System.nanoTime();
        long deadline = started + Math.min(Math.max(0, timeout.toNanos()), MAX_TIMEOUT_NANOS);
        if (selection == null) throw fail(ProviderException.Kind.NOT_CONFIGURED, NO_MODEL, null, List.of(), started);
        ModelRef primary = selection.primary();
        List<ChatResult.Attempt> attempts = new ArrayList<>();
        boolean anyUsable = false;
        Conversation.Prepared prepared = null;
        for (ModelRef ref : refs(selection)) {
            Endpoints.Resolution resolution = endpoints.resolve(ref);
            if (resolution instanceof Endpoints.Unavailable unavailable) {
                attempts.add(new ChatResult.Attempt(ref.provider(), ref.model(), "not configured: " + unavailable.reason(), 0));
                metrics.attempt(ref.provider(), ref.model(), "not_configured");
                continue;
            }
            Endpoint endpoint = (Endpoint) resolution;
            anyUsable = true;
            if (prepared == null) prepared = Conversation.prepare(request);
            tries:
            for (int tryNumber = 1; tryNumber <= retry.attemptsPerModel(); tryNumber++) {
                if (Thread.currentThread().isInterrupted()) throw aborted(primary, attempts, started);
                if (System.nanoTime() - deadline >= 0) throw timedOut(timeout, primary, attempts, started);
                announce(events, ref);
                long attemptStart = System.nanoTime();
                Attempt.Outcome outcome = attempt(ref, endpoint, prepared, events, deadline);
                long millis = (System.nanoTime() - attemptStart) / 1_000_000;
                switch (outcome) {
                    case Attempt.Answered answered -> {
                        attempts.add(new ChatResult.Attempt(ref.provider(), ref.model(), "ok", millis));
                        metrics.attempt(ref.provider(), ref.model(), "ok");
                        metrics.turn(ref.provider(), ref.model(), "ok", Duration.ofNanos(System.nanoTime() - started));
                        return Conversation.result(answered.response(), ref.provider(), ref.model(), attempts);
                    }
                    case Attempt.Aborted ignored -> {
                        attempts.add(new ChatResult.Attempt(ref.provider(), ref.model(), "aborted", millis));
                        metrics.attempt(ref.provider(), ref.model(), "aborted");
                        throw aborted(primary, attempts, started);
                    }
                    case Attempt.TimedOut ignored -> {
                        attempts.add(new ChatResult.Attempt(ref.provider(), ref.model(), "turn timed out", millis));
                        metrics.attempt(ref.provider(), ref.model(), "timeout");
                        throw timedOut(timeout, primary, attempts, started);
                    }
                    case Attempt.Failed failed -> {
                        String description = failed.kind().equals("auth") ? failed.description() + " (check " + endpoints.keyHint(ref.provider()) + ")" : failed.description();
                        attempts.add(new ChatResult.Attempt(ref.provider(), ref.model(), description, millis));
                        metrics.attempt(ref.provider(), ref.model(), failed.kind());
                        log.info("model {} try {}/{} failed: {}", ref, tryNumber, retry.attemptsPerModel(), description);
                        if (!failed.retryable() || tryNumber == retry.attemptsPerModel()) break tries;
                        Duration wait = retry.backoff(tryNumber, failed.retryAfter());
                        if (wait.toNanos() >= deadline - System.nanoTime()) break tries; // no time left for this model: try the next
                        try {
                            Thread.sleep(wait);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw aborted(primary, attempts, started);
                        }
                        continue tries;
                    }
                }
            }
        }
        if (!anyUsable) {
            throw fail(ProviderException.Kind.NOT_CONFIGURED, "No configured model can be used for this agent:\n" + summary(attempts)
                    + "\nModels are chosen with agents.defaults.model or agents.list[].model; an \"ollama/<model>\" ref needs no key, only Ollama running on this machine.",
                    primary, attempts, started);
        }
        throw fail(ProviderException.Kind.ALL_FAILED, "No model answered:\n" + summary(attempts), primary, attempts, started);
    }

    private Attempt.Outcome attempt(ModelRef ref, Endpoint endpoint, Conversation.Prepared prepared, ChatListener events, long deadline) {
        StreamingChatModel model;
        try {
            model = models.computeIfAbsent(ref, r -> ModelFactory.build(endpoint, r.model(), transport));
        } catch (RuntimeException e) {
            return new Attempt.Failed("cannot set up a client for " + endpoint.api() + " at " + endpoint.baseUrl() + ": " + e.getMessage(), "client_error", false, null);
        }
        Exchange exchange = new Exchange(transport, endpoint.api(), ref.toString(), prepared.exactSchemas());
        return new Attempt(exchange, events).run(model, prepared.request(), deadline, retry.stallTimeout());
    }

    /** The primary, then the fallbacks, each once. */
    private static List<ModelRef> refs(ModelSelection selection) {
        LinkedHashSet<ModelRef> refs = new LinkedHashSet<>();
        if (selection.primary() != null) refs.add(selection.primary());
        refs.addAll(selection.fallbacks());
        return List.copyOf(refs);
    }

    /**
     * One line per model, in order: what happened, and how many tries. Repeated outcomes of one model
     * are said once with a count.
     */
    static String summary(List<ChatResult.Attempt> attempts) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < attempts.size()) {
            ChatResult.Attempt first = attempts.get(i);
            int end = i;
            while (end < attempts.size() && attempts.get(end).provider().equals(first.provider()) && attempts.get(end).model().equals(first.model())) end++;
            List<String> parts = new ArrayList<>();
            String previous = null;
            int repeat = 0;
            for (int k = i; k <= end; k++) {
                String outcome = k < end ? attempts.get(k).outcome() : null;
                if (outcome != null && outcome.equals(previous)) {
                    repeat++;
                    continue;
                }
                if (previous != null) parts.add(repeat > 1 ? previous + " (×" + repeat + ")" : previous);
                previous = outcome;
                repeat = 1;
            }
            int tries = end - i;
            if (!out.isEmpty()) out.append('\n');
            out.append("  - ").append(first.provider()).append('/').append(first.model()).append(": ").append(String.join("; then ", parts));
            if (!first.outcome().startsWith("not configured")) out.append(" — ").append(tries).append(tries == 1 ? " try" : " tries");
            i = end;
        }
        return out.toString();
    }

    /** Tells the listener an attempt starts; a listener that throws does not break the turn. */
    private static void announce(ChatListener events, ModelRef ref) {
        try {
            events.onAttempt(ref.provider(), ref.model());
        } catch (RuntimeException e) {
            log.warn("chat listener failed on an attempt: {}", e.toString());
        }
    }

    private ProviderException timedOut(Duration timeout, ModelRef primary, List<ChatResult.Attempt> attempts, long started) {
        return fail(ProviderException.Kind.TIMEOUT, "The model did not answer within " + Durations.format(timeout) + "."
                + (attempts.size() > 1 ? " Attempts:\n" + summary(attempts) : ""), primary, attempts, started);
    }

    private ProviderException aborted(ModelRef primary, List<ChatResult.Attempt> attempts, long started) {
        return fail(ProviderException.Kind.ABORTED, "The turn was aborted.", primary, attempts, started);
    }

    private ProviderException fail(ProviderException.Kind kind, String message, ModelRef primary, List<ChatResult.Attempt> attempts, long started) {
        String outcome = switch (kind) {
            case NOT_CONFIGURED -> "not_configured";
            case ALL_FAILED -> "all_failed";
            case TIMEOUT -> "timeout";
            case ABORTED -> "aborted";
        };
        metrics.turn(primary == null ? "none" : primary.provider(), primary == null ? "none" : primary.model(), outcome,
                Duration.ofNanos(System.nanoTime() - started));
        if (kind == ProviderException.Kind.ALL_FAILED || kind == ProviderException.Kind.NOT_CONFIGURED) log.warn("{}", message);
        return new ProviderException(kind, message, attempts);
    }

    /** Model calls reading right now (tests: zero once every turn has returned). */
    int liveExchanges() {
        return transport.liveExchanges();
    }

    /** Cancels calls still running and closes the HTTP client. Bounded; idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        transport.close();
        models.clear();
    }
}
