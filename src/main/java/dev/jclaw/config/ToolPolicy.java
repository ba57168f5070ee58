package dev.jclaw.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scope's tool policy as written: the global {@code tools}, an agent's {@code tools}, or one
 * {@code byProvider} entry of either. Null components were not set in the file, which is not the same
 * as an empty list. What the layers mean together is decided in one place,
 * {@code dev.jclaw.policy.ToolPolicies}.
 *
 * @param profile    base set of tools, or null when unset
 * @param allow      tools allowed (names, globs, {@code group:*}, {@code <server>__*}), or null
 * @param alsoAllow  tools added to the profile without replacing it, or null
 * @param deny       tools removed whatever else says, or null
 * @param byProvider policies keyed by provider id or {@code provider/model} (lower case), applied for
 *                   runs on that model; empty when none (and always empty inside an entry)
 * @param path       the JSON path of this object in the config ({@code tools}, {@code agents.list[1].tools}),
 *                   for explanations; null when not read from a file
 */
public record ToolPolicy(Profile profile, List<String> allow, List<String> alsoAllow, List<String> deny,
                         Map<String, ToolPolicy> byProvider, String path) {
    public static final ToolPolicy UNSET = new ToolPolicy(null, null, null, null);

    public ToolPolicy {
        allow = allow == null ? null : List.copyOf(allow);
        alsoAllow = alsoAllow == null ? null : List.copyOf(alsoAllow);
        deny = deny == null ? null : List.copyOf(deny);
        byProvider = byProvider == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(byProvider));
    }

    public ToolPolicy(Profile profile, List<String> allow, List<String> alsoAllow, List<String> deny) {
        this(profile, allow, alsoAllow, deny, Map.of(), null);
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
