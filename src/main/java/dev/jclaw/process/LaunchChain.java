package dev.jclaw.process;

/**
 * How a child is wrapped so that its whole tree dies with its owner, best first. The supervisor
 * probes once at start-up and uses the first chain that works on this host.
 */
public enum LaunchChain {
    /**
     * {@code setpriv --pdeathsig KILL -- setsid -- unshare [--user --map-current-user] --pid --fork
     * --kill-child -- <init> CMD}: the tree lives in its own PID namespace, so when the gateway dies
     * the kernel kills all of it, double-forked escapers included.
     */
    NAMESPACE("namespace"),
    /**
     * {@code setpriv --pdeathsig TERM -- setsid -- <watchdog> CMD}: the watchdog kills its process
     * group when the gateway dies; anything that left the group is swept at the next start.
     */
    SESSION_WATCHDOG("session-watchdog"),
    /** {@code setsid CMD}: group kills work while the gateway lives; after a crash only the next start's sweep helps. */
    SESSION("session");

    private final String id;

    LaunchChain(String id) {
        this.id = id;
    }

    /** The name used in config, {@code JCLAW_LAUNCH_CHAIN} and {@code jclaw doctor}. */
    public String id() {
        return id;
    }

    public static LaunchChain parse(String value) {
        for (LaunchChain chain : values()) {
            if (chain.id.equalsIgnoreCase(value.strip()) || chain.name().equalsIgnoreCase(value.strip())) return chain;
        }
        throw new IllegalArgumentException("unknown launch chain \"" + value
                + "\" (expected namespace, session-watchdog or session)");
    }
}
