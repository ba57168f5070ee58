package dev.jclaw.routing;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Agent ids: {@code ^[a-z0-9][a-z0-9_-]{0,63}$} after lowercasing. {@link #normalize} turns any text
 * into a valid id the way OpenClaw does, so ids from old session keys and files map to the same agent.
 */
public final class AgentId {
    /** The agent a config without agents has, and the fallback for text with nothing usable. */
    public static final String DEFAULT = "main";
    /** What a valid id looks like (matched case-insensitively, then lowercased). */
    public static final String PATTERN_TEXT = "^[a-z0-9][a-z0-9_-]{0,63}$";

    private static final Pattern VALID = Pattern.compile(PATTERN_TEXT, Pattern.CASE_INSENSITIVE);
    private static final Pattern INVALID_RUN = Pattern.compile("[^a-z0-9_-]+");
    private static final int MAX_LENGTH = 64;

    private AgentId() {}

    /** Whether {@code text} (trimmed) is a valid id in any letter case. */
    public static boolean isValid(String text) {
        return text != null && VALID.matcher(text.strip()).matches();
    }

    /**
     * Lowercases; replaces each run of characters outside {@code [a-z0-9_-]} with {@code -}; trims
     * leading and trailing dashes; cuts to 64 characters; falls back to {@value #DEFAULT} when
     * nothing is left. Null and blank give {@value #DEFAULT}.
     */
    public static String normalize(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) return DEFAULT;
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (VALID.matcher(trimmed).matches()) return lower;
        String cleaned = INVALID_RUN.matcher(lower).replaceAll("-").replaceAll("^-+", "").replaceAll("-+$", "");
        if (cleaned.length() > MAX_LENGTH) cleaned = cleaned.substring(0, MAX_LENGTH);
        return cleaned.isEmpty() ? DEFAULT : cleaned;
    }
}
