package dev.jclaw.config;

/** Globs of allow lists and tool filters: {@code *} any run of characters, {@code ?} one; case-insensitive. */
public final class Globs {
    private Globs() {}

    public static boolean matches(String glob, String text) {
        return matches(glob.toLowerCase(java.util.Locale.ROOT), 0, text.toLowerCase(java.util.Locale.ROOT), 0);
    }

    private static boolean matches(String glob, int g, String text, int t) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int rest = t; rest <= text.length(); rest++) {
                    if (matches(glob, g + 1, text, rest)) return true;
                }
                return false;
            }
            if (t >= text.length() || c != '?' && text.charAt(t) != c) return false;
            g++;
            t++;
        }
        return t == text.length();
    }
}
