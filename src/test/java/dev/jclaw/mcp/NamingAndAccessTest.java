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
    void accessFollowsAllowAndDenyWithBundleAndServerEntries() {
        assertThat(McpAccess.ALL.reaches("fs")).isTrue();
        assertThat(new McpAccess(List.of(), List.of()).reaches("fs")).as("an explicit empty allow list").isFalse();
        assertThat(new McpAccess(null, List.of("bundle-mcp")).reaches("fs")).isFalse();
        assertThat(new McpAccess(null, List.of("fs__*")).reaches("fs")).isFalse();
        assertThat(new McpAccess(null, List.of("fs__*")).reaches("memory")).isTrue();
        assertThat(new McpAccess(List.of("read", "exec"), List.of()).reaches("fs")).as("allow list without MCP entries").isFalse();
        assertThat(new McpAccess(List.of("fs__read_file"), List.of()).reaches("fs")).isTrue();
        assertThat(new McpAccess(List.of("fs__read_file"), List.of()).reaches("memory")).isFalse();
        assertThat(new McpAccess(List.of("bundle-mcp"), List.of()).reaches("memory")).isTrue();

        McpAccess oneTool = new McpAccess(List.of("fs__read_*"), List.of("fs__read_secret"));
        assertThat(oneTool.allows("fs__read_file")).isTrue();
        assertThat(oneTool.allows("fs__read_secret")).isFalse();
        assertThat(oneTool.allows("fs__write_file")).isFalse();
    }
}
