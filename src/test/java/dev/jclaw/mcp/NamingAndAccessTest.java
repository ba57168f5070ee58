package dev.jclaw.mcp;

import dev.jclaw.config.McpServerConfig.ToolFilter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NamingAndAccessTest {

    @Test
    void namesFollowOpenClawsRules() {
        var named = ToolNames.assign(List.of(
                new ToolNames.Candidate("my.server", "read file"),
                new ToolNames.Candidate("a-very-long-server-name-that-goes-on-and-on", "tool"),
                new ToolNames.Candidate("s", "t".repeat(80)),
                new ToolNames.Candidate("s", "t".repeat(80))), Set.of());

        assertThat(named.keySet()).containsExactly(
                "my-server__read-file",
                "a-very-long-server-name-that-g__tool",
                "s__" + "t".repeat(61),
                "s__" + "t".repeat(59) + "-2");
        assertThat(named.keySet()).allMatch(n -> n.length() <= 64 && n.matches("[A-Za-z0-9_-]+"));
    }

    @Test
    void accessIsTheAgentsToolPolicySeenFromTheMcpLayer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(McpAccess.ALL.reaches("my.server")).isTrue();
        var config = dev.jclaw.config.ConfigLoader.parse("""
                { agents: { list: [ { id: "a", tools: { allow: ["my-server__read_*"], deny: ["my-server__read_secret"] } } ] } }
                """, dir.resolve("openclaw.json"), java.util.Map.of("HOME", dir.toString())).orElseThrow();
        McpAccess access = McpServers.access(config, config.agent("a").orElseThrow());
        assertThat(access.reaches("my.server")).as("the server's sanitized name is the tools' prefix").isTrue();
        assertThat(access.reaches("memory")).isFalse();
        assertThat(access.allows("my-server__read_file")).isTrue();
        assertThat(access.allows("my-server__read_secret")).isFalse();
    }
}
