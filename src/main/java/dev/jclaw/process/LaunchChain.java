package dev.jclaw.process;

/**
 * How a child is wrapped so that its whole tree dies with its owner, best first. The supervisor
 * probes once at start-up and uses the first chain that works on this host.
 */
public enum LaunchChain {
    /**
     * One PID namespace per gateway, whose init is the gateway's one helper process; every child is
     * started straight into it (no wrapper process), so when the gateway dies the kernel kills all of
     * it, double-forked escapers included. Needs CAP_SYS_ADMIN in the gateway's user namespace (root,
     * or the user namespace {@code ./jclaw} gives an ordinary user's gateway) and glibc 2.34+.
     */
    NAMESPACE("namespace"),
    /**
     * {@code setpriv --pdeathsig KILL -- unshare [--user --map-current-user] --pid --fork --kill-child
     * -- <sh init> CMD}: a PID namespace per child, with the same guarantee at the cost of two more
     * processes (unshare and the init) beside every server. Works for an ordinary user wherever user
     * namespaces are enabled.
     */
    NAMESPACE_PER_CHILD("namespace-per-child"),
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
                + "\" (expected namespace, namespace-per-child, session-watchdog or session)");
    }
}
