package dev.jclaw.session;

import java.util.List;

/**
 * Messages read back from a transcript, oldest first, along the branch that ends at its last entry.
 *
 * @param entries  the messages
 * @param warnings lines that could not be read and were skipped (a torn last line after a crash), one per line
 */
public record History(List<TranscriptEntry> entries, List<String> warnings) {
    public History {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }
}
