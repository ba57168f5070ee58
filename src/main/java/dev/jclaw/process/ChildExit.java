package dev.jclaw.process;

import java.time.Duration;

/**
 * How a child's tree ended.
 *
 * @param exitCode   the launcher's exit status (the server's, passed through the chain), or -1 if unknown
 * @param reason     why it ended
 * @param detail     a sentence for errors, naming the child
 * @param stderrTail the last bytes of its stderr
 * @param escalation the strongest signal the stop needed: none, TERM or KILL
 */
public record ChildExit(String name, long pid, int exitCode, Reason reason, String detail, String stderrTail,
                        Duration lifetime, Escalation escalation) {

    public enum Reason {
        /** The owner closed it. */
        STOPPED,
        /** It exited on its own (a crash, or an EOF the owner did not ask for). */
        EXITED,
        /** Its stdout broke the line-size limit; the tree was killed. */
        LINE_TOO_LONG,
        /** The supervisor shut down. */
        SUPERVISOR_CLOSED
    }

    public enum Escalation { NONE, TERM, KILL }

    /** The detail and, when there is one, the stderr tail's last lines. */
    public String describe() {
        String tail = stderrTail == null ? "" : stderrTail.strip();
        if (tail.isEmpty()) return detail;
        String[] lines = tail.split("\n");
        int from = Math.max(0, lines.length - 20);
        return detail + "; stderr tail:\n  " + String.join("\n  ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
