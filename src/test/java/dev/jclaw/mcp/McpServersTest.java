package dev.jclaw.mcp;

import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.McpServerConfig.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** From an unchanged openclaw.json to the servers each agent may start. */
class McpServersTest {

    @Test
    void eachAgentGetsItsReachableServersWithScopesEnvAndWorkspace(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("ws-b"));
        String json = """
                {
                  // JSON5, as OpenClaw writes it
                  env: { vars: { SHARED_TOKEN: "${TOKEN}" } },
                  tools: { agentToAgent: { enabled: true } },
                  mcp: {
                    servers: {
                      fs: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] },
                      memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"], env: { MEMORY_FILE: "/tmp/m.json" }, scope: "session" },
                      off: { command: "true", enabled: false },
                      remote: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${TOKEN}" } },
                    },
                  },
                  agents: {
                    list: [
                      { id: "a", default: true },
                      { id: "b", workspace: "ws-b", tools: { deny: ["fs__*"] },
                        mcp: { servers: { memory: { command: "node", args: ["mine.js"] }, notes: { command: "node", args: ["notes.js"] } } } },
                      { id: "c", tools: { allow: ["read", "remote__search"] } },
                    ],
                  },
                }
                """;
        JClawConfig config = ConfigLoader.parse(json, dir.resolve("openclaw.json"), Map.of("TOKEN", "t0k3n")).orElseThrow();

        List<McpServerSpec> a = McpServers.forAgent(config, "a");
        assertThat(a).extracting(McpServerSpec::name).containsExactly("fs", "memory", "remote");
        assertThat(a.get(0).scope()).isEqualTo(Scope.GATEWAY);
        assertThat(a.get(0).command()).containsExactly("npx", "-y", "@modelcontextprotocol/server-filesystem", "/tmp");
        assertThat(a.get(0).env()).containsEntry("SHARED_TOKEN", "t0k3n");
        assertThat(a.get(1).scope()).isEqualTo(Scope.SESSION);
        assertThat(a.get(1).env()).containsEntry("MEMORY_FILE", "/tmp/m.json").containsEntry("SHARED_TOKEN", "t0k3n");
        assertThat(a.get(2).headers()).containsEntry("Authorization", "Bearer t0k3n");

        List<McpServerSpec> b = McpServers.forAgent(config, "b");
        assertThat(b).extracting(McpServerSpec::name).containsExactly("remote", "memory", "notes");
        McpServerSpec ownMemory = b.get(1);
        assertThat(ownMemory.owner()).isEqualTo("b");
        assertThat(ownMemory.scope()).isEqualTo(Scope.AGENT);
        assertThat(ownMemory.command()).containsExactly("node", "mine.js");
        assertThat(ownMemory.cwd()).isEqualTo(dir.resolve("ws-b"));

        assertThat(McpServers.forAgent(config, "c")).extracting(McpServerSpec::name).containsExactly("remote");
        assertThat(McpServers.all(config)).hasSize(3 + 3 + 1);
    }
}
