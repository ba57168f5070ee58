package dev.jclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jclaw.gateway.GatewayClient;
import dev.jclaw.gateway.GatewayException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jclaw health}: is the gateway up and answering; {@code --wait} waits for it to finish starting. */
@Command(name = "health", mixinStandardHelpOptions = true, description = "Ask the running gateway whether it is healthy (exit 0 if so).")
final class HealthCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the health payload as JSON.")
    boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0", description = "Wait up to this long for a starting gateway (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        Endpoint endpoint = client.endpoint();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        String problem = awaitStartup(endpoint, deadline);
        if (problem != null) {
            System.err.println("jclaw health: " + problem);
            return 1;
        }
        try (GatewayClient gateway = endpoint.connect(List.of("operator.read"), Duration.ofSeconds(10))) {
            long began = System.nanoTime();
            JsonNode health = gateway.call("health", null, Duration.ofSeconds(15));
            long millis = (System.nanoTime() - began) / 1_000_000;
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(health));
            } else {
                JsonNode j = health.path("jclaw");
                System.out.printf("Gateway healthy (%d ms): %s, up %s%n", millis, endpoint.url(), StatusCommand.duration(j.path("uptimeMs").asLong()));
                for (JsonNode agent : health.path("agents")) {
                    System.out.printf("  agent %-20s %s%d session(s)%n", agent.path("agentId").asText(),
                            agent.path("isDefault").asBoolean() ? "(default) " : "", agent.path("sessions").path("count").asLong());
                }
                System.out.printf("  runs %d active, MCP %d runtime(s) / %d process(es)%n", j.path("runsActive").asInt(),
                        j.path("mcp").path("runtimes").asInt(), j.path("mcp").path("processes").asInt());
            }
            return health.path("ok").asBoolean() ? 0 : 1;
        } catch (GatewayException e) {
            return GatewayCommand.printFailure(e, json);
        }
    }

    /** Polls {@code /startupz} until it answers 200 (null) or the deadline passes (what was wrong). */
    private String awaitStartup(Endpoint endpoint, long deadline) throws InterruptedException {
        boolean announced = false;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (true) {
                String problem;
                try {
                    HttpResponse<String> startup = http.send(HttpRequest.newBuilder(endpoint.http("/startupz")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    problem = startup.statusCode() == 200 ? null : "starting (" + startup.body() + ")";
                } catch (java.io.IOException e) {
                    problem = "no gateway answers at " + endpoint.http("") + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
                }
                if (problem == null || System.nanoTime() >= deadline) return problem;
                if (!announced && !json) System.err.println("jclaw health: waiting up to " + waitSeconds + " s: " + problem);
                announced = true;
                Thread.sleep(250);
            }
        }
    }
}
