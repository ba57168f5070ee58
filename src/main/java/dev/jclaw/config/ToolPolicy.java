package dev.jclaw.config;

import java.util.List;

/**
 * Which tools a run may use: a profile plus allow/deny lists ({@code tools} globally, and an agent's
 * own {@code tools} on top). Null components were not set in the file, which is not the same as an
 * empty list: {@code allow: []} allows nothing beyond the profile.
 *
 * @param profile   base set of tools, or null when unset
 * @param allow     tools allowed (names or {@code group:*} / {@code server__*} patterns), or null
 * @param alsoAllow tools added to the profile without replacing it, or null
 * @param deny      tools removed whatever else says, or null
 */
public record ToolPolicy(Profile profile, List<String> allow, List<String> alsoAllow, List<String> deny) {
    public static final ToolPolicy UNSET = new ToolPolicy(null, null, null, null);

    public ToolPolicy {
        allow = allow == null ? null : List.copyOf(allow);
        alsoAllow = alsoAllow == null ? null : List.copyOf(alsoAllow);
        deny = deny == null ? null : List.copyOf(deny);
    }

    /** Base tool sets. */
    public enum Profile {
        MINIMAL("minimal"), CODING("coding"), MESSAGING("messaging"), FULL("full");

        private final String wire;

        Profile(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
