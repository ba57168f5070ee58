package dev.jclaw.process;

import java.util.List;

/**
 * What the start-up sweep found: how many state files of dead gateways it read, how many of their
 * processes it killed, and a line per action.
 */
public record SweepReport(int files, int processesKilled, List<String> notes) {
    public SweepReport {
        notes = List.copyOf(notes);
    }
}
