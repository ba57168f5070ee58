package dev.jclaw.mcp;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenClaw's naming of MCP tools: {@code <server>__<tool>}; characters outside
 * {@code [A-Za-z0-9_-]} become {@code -}; the server part is at most 30 characters and the whole at
 * most 64; a name already taken (by another tool or a built-in) gets {@code -2}, {@code -3}, …
 */
final class ToolNames {
    static final int MAX_SERVER = 30;
    static final int MAX_NAME = 64;

    private ToolNames() {}

    /** A server's tool, before naming. */
    record Candidate(String server, String tool) {}

    /** Exposed names for the candidates, in order, none equal to a reserved name or to each other. */
    static Map<String, Candidate> assign(List<Candidate> candidates, Set<String> reserved) {
        Set<String> taken = new HashSet<>(reserved);
        Map<String, Candidate> named = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            String server = truncate(sanitize(candidate.server()), MAX_SERVER);
            String base = truncate(server + "__" + sanitize(candidate.tool()), MAX_NAME);
            String name = base;
            for (int n = 2; taken.contains(name); n++) {
                String suffix = "-" + n;
                name = truncate(base, MAX_NAME - suffix.length()) + suffix;
            }
            taken.add(name);
            named.put(name, candidate);
        }
        return named;
    }

    static String sanitize(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            out.append(ok ? c : '-');
        }
        return out.toString();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
