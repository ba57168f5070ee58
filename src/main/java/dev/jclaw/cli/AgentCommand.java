package dev.jclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jclaw.agent.Engine;
import dev.jclaw.agent.RunEvent;
import dev.jclaw.agent.RunHandle;
import dev.jclaw.agent.RunRequest;
import dev.jclaw.agent.RunResult;
import dev.jclaw.config.ConfigLocation;
import dev.jclaw.config.InvalidConfigException;
import dev.jclaw.gateway.GatewayClient;
import dev.jclaw.gateway.GatewayException;
import dev.jclaw.gateway.RunPayloads;
import dev.jclaw.session.StateLockedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code jclaw agent --message …}: one agent turn, its reply streamed to stdout. It goes through the
 * running gateway when one answers; otherwise it runs in this process (an engine of its own), unless
 * a gateway holds the state dir, which would make two writers of one session store.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Run one agent turn and print the reply (through the running gateway, else in-process).")
final class AgentCommand implements Callable<Integer> {
    @Option(names = {"-m", "--message"}, required = true, paramLabel = "TEXT", description = "The message.")
    String message;

    @Option(names = "--agent", paramLabel = "ID", description = "The agent (default: the default agent).")
    String agent;

    @Option(names = {"--session-key", "--session"}, paramLabel = "KEY", description = "The session (default: the agent's main session).")
    String sessionKey;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "Bound on the run; 0 = a day (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--local", description = "Run in this process even if a gateway is running (refused while it holds the state dir).")
    boolean local;

    @Option(names = "--json", description = "Print the final result as JSON (OpenClaw's shape).")
    boolean json;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        if (!local) {
            Endpoint endpoint = client.endpoint();
            GatewayClient gateway;
            try {
                gateway = endpoint.connect(List.of("operator.write"), Duration.ofSeconds(5));
            } catch (GatewayException e) {
                if (e.kind() != GatewayException.Kind.TRANSPORT) return GatewayCommand.printFailure(e, json);
                if (!json) System.err.println("jclaw agent: no gateway at " + endpoint.url() + "; running in this process");
                return runLocal(false);
            }
            try (gateway) {
                return throughGateway(gateway);
            }
        }
        return runLocal(true);
    }

    private Duration waitBound() {
        return (timeoutSeconds == 0 ? Duration.ofHours(24) : Duration.ofSeconds(timeoutSeconds)).plusSeconds(30);
    }

    private int throughGateway(GatewayClient gateway) throws Exception {
        AtomicReference<String> runId = new AtomicReference<>();
        List<JsonNode> early = new ArrayList<>();
        AtomicBoolean streamed = new AtomicBoolean();
        gateway.onEvent((event, payload) -> {
            if (json || !event.equals("agent")) return;
            synchronized (early) {
                if (runId.get() == null) {
                    early.add(payload);
                    return;
                }
            }
            print(payload, runId.get(), streamed);
        });
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("message", message);
        if (agent != null) params.put("agentId", agent);
        if (sessionKey != null) params.put("sessionKey", sessionKey);
        params.put("timeout", timeoutSeconds);
        params.put("deliver", false);
        params.put("idempotencyKey", UUID.randomUUID().toString());
        AtomicReference<JsonNode> accepted = new AtomicReference<>();
        Thread abortOnSignal = new Thread(() -> {
            JsonNode a = accepted.get();
            if (a == null) return;
            try {
                gateway.call("chat.abort", Map.of("sessionKey", a.path("sessionKey").asText(), "runId", a.path("runId").asText()),
                        Duration.ofSeconds(2));
                System.err.println("\njclaw agent: run " + a.path("runId").asText() + " aborted");
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "jclaw-agent-abort");
        Runtime.getRuntime().addShutdownHook(abortOnSignal);
        JsonNode result;
        try {
            result = gateway.callFinal("agent", params, a -> {
                accepted.set(a);
                List<JsonNode> buffered;
                synchronized (early) {
                    runId.set(a.path("runId").asText());
                    buffered = List.copyOf(early);
                    early.clear();
                }
                buffered.forEach(p -> print(p, runId.get(), streamed));
            }, waitBound());
        } catch (GatewayException e) {
            return GatewayCommand.printFailure(e, json);
        } finally {
            accepted.set(null);
            try {
                Runtime.getRuntime().removeShutdownHook(abortOnSignal);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        return report(new ObjectMapper().convertValue(result, Map.class), streamed.get());
    }

    private void print(JsonNode event, String runId, AtomicBoolean streamed) {
        if (!runId.equals(event.path("runId").asText()) || !"assistant".equals(event.path("stream").asText())) return;
        String delta = event.path("data").path("delta").asText("");
        if (delta.isEmpty()) return;
        streamed.set(true);
        System.out.print(delta);
        System.out.flush();
    }

    private int report(Map<?, ?> payload, boolean streamed) throws Exception {
        String status = String.valueOf(payload.get("status"));
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(payload));
        } else {
            Map<?, ?> result = (Map<?, ?>) payload.get("result");
            Map<?, ?> meta = result == null ? Map.of() : (Map<?, ?>) result.get("meta");
            String text = meta == null || meta.get("finalAssistantVisibleText") == null ? "" : String.valueOf(meta.get("finalAssistantVisibleText"));
            if (streamed) System.out.println();
            else if (!text.isEmpty()) System.out.println(text);
            if (!status.equals("ok")) System.err.println("jclaw agent: run " + payload.get("summary") + ": " + payload.get("error"));
        }
        return status.equals("ok") || status.equals("completed") ? 0 : 1;
    }

    private int runLocal(boolean asked) throws Exception {
        Map<String, String> env = System.getenv();
        Path configFile = ConfigLocation.resolve(client.config, env);
        Engine engine;
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            engine = Engine.start(configFile, env, new Engine.Options(Models.factory(registry), registry, false));
        } catch (StateLockedException e) {
            System.err.println("jclaw agent: " + (asked ? "--local cannot run: " : "no gateway answers, and ") + e.getMessage()
                    + (asked ? "; drop --local to go through the gateway" : "; is the gateway listening on another port? (--url / --port)"));
            return 1;
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        try (engine) {
            AtomicBoolean streamed = new AtomicBoolean();
            RunRequest request = RunRequest.of(agent, message).withSessionKey(sessionKey)
                    .withTimeout(timeoutSeconds == 0 ? Duration.ofHours(24) : Duration.ofSeconds(timeoutSeconds))
                    .withListener(json ? null : event -> {
                        if (RunEvent.ASSISTANT.equals(event.stream()) && event.data().get("delta") instanceof String d && !d.isEmpty()) {
                            streamed.set(true);
                            System.out.print(d);
                            System.out.flush();
                        }
                    });
            RunHandle handle;
            try {
                handle = engine.agents().start(request);
            } catch (IllegalArgumentException e) {
                System.err.println("jclaw agent: " + e.getMessage());
                return 1;
            }
            Thread abortOnSignal = new Thread(() -> handle.abort("interrupted (Ctrl-C)"), "jclaw-agent-abort");
            Runtime.getRuntime().addShutdownHook(abortOnSignal);
            RunResult result;
            try {
                result = handle.result().get(waitBound().toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(abortOnSignal);
                } catch (IllegalStateException ignored) {
                    // already shutting down
                }
            }
            return report(RunPayloads.finalAnswer(result), streamed.get());
        }
    }
}
