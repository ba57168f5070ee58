package dev.jclaw.policy;

/**
 * Whether one tool is offered to a run, and why.
 *
 * @param tool    the tool's name (an MCP tool's exposed name)
 * @param source  built-in or MCP
 * @param allowed whether it is offered
 * @param kind    what decided: {@code profile} (a profile left it out), {@code allowlist} (an allow list
 *                left it out), {@code deny} (a deny entry removed it), or {@code allowed}
 * @param reason  a sentence naming the config entries involved, with their JSON paths
 */
public record ToolDecision(String tool, Source source, boolean allowed, String kind, String reason) {
    /** Where a tool comes from. */
    public enum Source {
        CORE("core"), MCP("mcp");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
