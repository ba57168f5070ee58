package dev.jclaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.config.StateDir;
import dev.jclaw.gateway.GatewayClient;
import dev.jclaw.gateway.GatewayException;
import dev.jclaw.session.SessionEntry;
import dev.jclaw.session.SessionQuery;
import dev.jclaw.session.SessionReader;
import dev.jclaw.session.SessionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jclaw status}: the running gateway's view (agents, sessions, runs, MCP runtimes, lanes,
 * clients); with no gateway running, what the state dir holds, marked {@code reachable: false}.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Gateway status: agents, sessions, runs, MCP runtimes (or the state dir when no gateway runs).")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Endpoint endpoint = client.endpoint();
        ObjectNode out = mapper.createObjectNode();
        ObjectNode gatewayNode = out.putObject("gateway");
        gatewayNode.put("url", endpoint.url().toString());
        try (GatewayClient gateway = endpoint.connect(List.of("operator.read"), Duration.ofSeconds(5))) {
            JsonNode status = gateway.call("status", Map.of("includeCliProjection", true), Duration.ofSeconds(15));
            gatewayNode.put("reachable", true);
            gatewayNode.set("server", gateway.hello().path("server"));
            out.setAll((ObjectNode) status);
        } catch (GatewayException e) {
            if (e.kind() != GatewayException.Kind.TRANSPORT) return GatewayCommand.printFailure(e, json);
            gatewayNode.put("reachable", false);
            gatewayNode.put("error", e.getMessage());
            try (SessionReader reader = SessionStore.openReadOnly(StateDir.resolve())) {
                List<SessionEntry> recent = reader.list(SessionQuery.all().limit(10));
                out.putObject("sessions").set("recent", mapper.valueToTree(recent.stream().map(s -> Map.of("key", s.key().toString(),
                        "updatedAt", s.updatedAt().toEpochMilli())).toList()));
            }
        }
        if (json) {
            System.out.println(mapper.writeValueAsString(out));
            return 0;
        }
        print(out);
        return 0;
    }

    private static void print(JsonNode out) {
        JsonNode gateway = out.path("gateway");
        if (!gateway.path("reachable").asBoolean()) {
            System.out.println("Gateway  not running at " + gateway.path("url").asText() + " (" + gateway.path("error").asText() + ")");
            System.out.println("Recent sessions in the state dir:");
            out.path("sessions").path("recent").forEach(s -> System.out.println("  " + s.path("key").asText()));
            return;
        }
        JsonNode jclaw = out.path("jclaw");
        System.out.printf("Gateway  %s  version %s, up %s, %d client(s)%n", gateway.path("url").asText(), jclaw.path("version").asText(),
                duration(jclaw.path("uptimeMs").asLong()), jclaw.path("connections").asInt());
        System.out.printf("Runs     %d active%n", jclaw.path("runsActive").asInt());
        System.out.printf("MCP      %d runtime(s), %d server process(es); launch chain %s%n", jclaw.path("mcp").path("runtimes").asInt(),
                jclaw.path("mcp").path("processes").asInt(), jclaw.path("supervisor").path("launchChain").asText());
        System.out.printf("Sessions %d%n", out.path("sessions").path("count").asLong());
        for (JsonNode agent : out.path("sessions").path("byAgent")) {
            System.out.printf("  %-20s %5d session(s)%n", agent.path("agentId").asText(), agent.path("count").asLong());
        }
        JsonNode lanes = jclaw.path("lanes");
        if (lanes.size() > 0) {
            System.out.print("Lanes   ");
            lanes.forEach(l -> System.out.printf(" %s %d/%d (+%d waiting)", l.path("name").asText(), l.path("active").asInt(),
                    l.path("limit").asInt(), l.path("waiting").asInt()));
            System.out.println();
        }
    }

    static String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toMinutes() < 1) return d.toSeconds() + " s";
        if (d.toHours() < 1) return d.toMinutes() + " min";
        if (d.toDays() < 1) return d.toHours() + " h " + d.toMinutesPart() + " min";
        return d.toDays() + " d " + d.toHoursPart() + " h";
    }
}
