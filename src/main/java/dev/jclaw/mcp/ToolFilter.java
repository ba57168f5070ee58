package dev.jclaw.mcp;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code toolFilter{include, exclude}} of a server: glob patterns ({@code *}, {@code ?}) on the
 * server's own tool names. An empty include list includes everything; exclude wins.
 */
public record ToolFilter(List<String> include, List<String> exclude) {
    public static final ToolFilter ALL = new ToolFilter(List.of(), List.of());

    public ToolFilter {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    public boolean allows(String toolName) {
        if (exclude.stream().anyMatch(glob -> matches(glob, toolName))) return false;
        return include.isEmpty() || include.stream().anyMatch(glob -> matches(glob, toolName));
    }

    /** Glob match: {@code *} any run of characters, {@code ?} one character, everything else literal. */
    static boolean matches(String glob, String text) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("((?<=[*?])|(?=[*?]))")) {
            regex.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(part);
            });
        }
        return text.matches(regex.toString());
    }
}
