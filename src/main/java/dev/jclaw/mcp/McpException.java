package dev.jclaw.mcp;

/**
 * Anything that went wrong between JClaw and an MCP server. The message names the server and, where
 * the server said something on stderr, ends with its last lines.
 */
public final class McpException extends RuntimeException {
    public enum Kind {
        /** The server could not be started or did not finish initialize in time. */
        START_FAILED,
        /** The call did not finish within its timeout; the server was told to cancel it. */
        TIMEOUT,
        /** The caller (a run abort, a reset, a shutdown) cancelled the call. */
        CANCELLED,
        /** The server exited or broke while the call was in flight. */
        SERVER_EXITED,
        /** The server crashed recently and waits out its restart backoff. */
        BACKOFF,
        /** The server crashed too often in a row and is no longer restarted until its config changes. */
        CRASH_LOOP,
        /** A cap on runtimes or MCP processes would be exceeded. */
        ADMISSION,
        /** The tool is not offered to this lease. */
        UNKNOWN_TOOL,
        /** The server answered with a JSON-RPC error. */
        SERVER_ERROR,
        /** The runtime or manager is closed. */
        CLOSED
    }

    private final Kind kind;
    private final String server;

    public McpException(Kind kind, String server, String message) {
        this(kind, server, message, null);
    }

    public McpException(Kind kind, String server, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.server = server;
    }

    public Kind kind() {
        return kind;
    }

    /** The server concerned, or null for manager-wide errors. */
    public String server() {
        return server;
    }
}
