package dev.jclaw.policy;

import dev.jclaw.config.ToolPolicy.Profile;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OpenClaw 2026.9.6's policy vocabulary: tool groups and profiles. Groups name tools JClaw may not
 * have yet (a policy written for OpenClaw means the same here the day JClaw gains the tool); a tool
 * JClaw adds goes into its group here, so a config naming the group reaches it without change.
 *
 * <p>MCP tools are not members of any core group: {@code group:plugins} and {@code bundle-mcp} stand
 * for all of them, and {@code <server>__*} for one server's.
 */
public final class ToolCatalog {
    private ToolCatalog() {}

    /** The entry meaning every MCP tool (OpenClaw's name for bundled MCP tools). */
    public static final String BUNDLE_MCP = "bundle-mcp";
    /** The group meaning every plugin tool; in JClaw the MCP tools. */
    public static final String GROUP_PLUGINS = "group:plugins";

    /** Core groups, members in OpenClaw's order. */
    public static final Map<String, Set<String>> GROUPS = groups();

    private static Map<String, Set<String>> groups() {
        Map<String, Set<String>> g = new LinkedHashMap<>();
        // JClaw's file tools include ls (OpenClaw offers it outside the group); apply_patch is also reached by "write".
        g.put("group:fs", Set.of("read", "write", "edit", "apply_patch", "ls"));
        g.put("group:runtime", Set.of("exec", "process", "code_execution"));
        g.put("group:web", Set.of("web_search", "web_fetch", "x_search"));
        g.put("group:sessions", Set.of("sessions_list", "sessions_history", "sessions_send", "sessions_spawn", "sessions_search",
                "sessions_yield", "subagents", "session_status"));
        g.put("group:memory", Set.of("memory_search", "memory_get"));
        g.put("group:ui", Set.of("browser", "canvas", "screen", "theme", "dashboard", "terminal", "portal", "show_widget"));
        g.put("group:automation", Set.of("automations", "cron", "gateway", "heartbeat_respond", "plugins", "openclaw"));
        g.put("group:messaging", Set.of("message"));
        g.put("group:nodes", Set.of("nodes", "computer"));
        g.put("group:media", Set.of("view_image", "image", "image_generate", "music_generate", "video_generate", "tts", "pdf"));
        // Every built-in except the fs and runtime primitives and canvas (OpenClaw's definition).
        Set<String> openclaw = new LinkedHashSet<>();
        for (String group : List.of("group:web", "group:sessions", "group:memory", "group:ui", "group:automation", "group:messaging",
                "group:nodes", "group:media")) {
            openclaw.addAll(g.get(group));
        }
        openclaw.remove("canvas");
        g.put("group:openclaw", Set.copyOf(openclaw));
        return Map.copyOf(g);
    }

    /**
     * The entries a profile allows, as a policy's allow list would write them; null for {@code full}
     * (no filtering at all).
     */
    public static List<String> profile(Profile profile) {
        return switch (profile) {
            case MINIMAL -> List.of("session_status");
            case CODING -> List.of("group:fs", "group:runtime", "group:web", "group:sessions", "group:memory", "cron", "automations",
                    "view_image", "image", BUNDLE_MCP);
            case MESSAGING -> List.of("group:messaging", "sessions_list", "sessions_history", "sessions_send", "session_status");
            case FULL -> null;
        };
    }

    /** A tool name or policy entry as compared: trimmed, lower case, OpenClaw's aliases resolved ({@code bash} is {@code exec}). */
    public static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "bash" -> "exec";
            case "apply-patch" -> "apply_patch";
            default -> n;
        };
    }

    /** Whether {@code entry} names a group (known or not). */
    static boolean isGroup(String entry) {
        return entry.startsWith("group:");
    }
}
