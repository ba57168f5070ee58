package dev.jclaw.mcp;

import java.util.Map;

/**
 * A tool offered to a run: its exposed name ({@code <server>__<tool>}, sanitized and unique within
 * the lease), the server and tool it maps to, and its description and input schema, unchanged.
 */
public record McpTool(String exposedName, String server, String toolName, String description, Map<String, Object> inputSchema) {}
