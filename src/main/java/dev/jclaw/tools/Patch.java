package dev.jclaw.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code *** Begin Patch} format of apply_patch (OpenAI's, as OpenClaw and Codex take it): parsing,
 * and applying an update's hunks to a file's text. Hunks are found by their lines, not by line
 * numbers: exactly first, then ignoring trailing whitespace, then all surrounding whitespace, then
 * typographic punctuation; {@code @@ context} first moves past a line that names the place.
 * Written by hand: no Java library reads this format.
 */
final class Patch {
    static final String BEGIN = "*** Begin Patch";
    static final String END = "*** End Patch";
    private static final String ADD = "*** Add File: ";
    private static final String DELETE = "*** Delete File: ";
    private static final String UPDATE = "*** Update File: ";
    private static final String MOVE = "*** Move to: ";
    private static final String END_OF_FILE = "*** End of File";

    private Patch() {}

    sealed interface Op {
        String path();
    }

    record Add(String path, String content) implements Op {}

    record Delete(String path) implements Op {}

    record Update(String path, String moveTo, List<Hunk> hunks) implements Op {}

    /** One change: {@code context} (an {@code @@} line, or null), the lines it replaces, the lines it puts, whether it ends the file. */
    record Hunk(String context, List<String> oldLines, List<String> newLines, boolean endOfFile) {}

    /** The operations of a patch, or an {@link IllegalArgumentException} naming the line that is wrong. */
    static List<Op> parse(String input) {
        List<String> lines = new ArrayList<>(List.of(input.strip().replace("\r\n", "\n").split("\n", -1)));
        if (lines.isEmpty() || !lines.getFirst().strip().equals(BEGIN)) {
            throw wrong(1, "the first line must be \"" + BEGIN + "\"");
        }
        if (lines.size() < 2 || !lines.getLast().strip().equals(END)) {
            throw wrong(lines.size(), "the last line must be \"" + END + "\"");
        }
        List<Op> ops = new ArrayList<>();
        int i = 1;
        int last = lines.size() - 1;
        while (i < last) {
            String line = lines.get(i);
            if (line.isBlank()) {
                i++;
            } else if (line.startsWith(ADD)) {
                String path = path(line, ADD, i);
                StringBuilder content = new StringBuilder();
                i++;
                while (i < last && !lines.get(i).startsWith("*** ")) {
                    String body = lines.get(i);
                    if (!body.startsWith("+")) throw wrong(i + 1, "every line of an added file starts with \"+\", got \"" + clip(body) + "\"");
                    content.append(body, 1, body.length()).append('\n');
                    i++;
                }
                ops.add(new Add(path, content.toString()));
            } else if (line.startsWith(DELETE)) {
                ops.add(new Delete(path(line, DELETE, i)));
                i++;
            } else if (line.startsWith(UPDATE)) {
                String path = path(line, UPDATE, i);
                int header = i;
                i++;
                String moveTo = null;
                if (i < last && lines.get(i).startsWith(MOVE)) {
                    moveTo = path(lines.get(i), MOVE, i);
                    i++;
                }
                List<Hunk> hunks = new ArrayList<>();
                while (i < last && (!lines.get(i).startsWith("*** ") || lines.get(i).startsWith(END_OF_FILE))) {
                    i = hunk(lines, i, last, hunks);
                }
                if (hunks.isEmpty() && moveTo == null) throw wrong(header + 1, "\"" + UPDATE + path + "\" has no hunks");
                ops.add(new Update(path, moveTo, hunks));
            } else {
                throw wrong(i + 1, "expected \"" + ADD.strip() + "\", \"" + DELETE.strip() + "\" or \"" + UPDATE.strip() + "\", got \"" + clip(line) + "\"");
            }
        }
        if (ops.isEmpty()) throw wrong(1, "the patch changes no file");
        return ops;
    }

    /** Reads one hunk starting at {@code i}; returns the index after it. */
    private static int hunk(List<String> lines, int i, int last, List<Hunk> out) {
        String context = null;
        String first = lines.get(i);
        if (first.startsWith("@@")) {
            String text = first.substring(2).strip();
            context = text.isEmpty() ? null : text;
            i++;
        } else if (!out.isEmpty()) {
            throw wrong(i + 1, "expected \"@@\" to start the next hunk, got \"" + clip(first) + "\"");
        }
        List<String> oldLines = new ArrayList<>();
        List<String> newLines = new ArrayList<>();
        boolean endOfFile = false;
        int start = i;
        while (i < last) {
            String line = lines.get(i);
            if (line.startsWith(END_OF_FILE)) {
                endOfFile = true;
                i++;
                break;
            }
            if (line.startsWith("@@") || line.startsWith("*** ")) break;
            if (line.isEmpty()) {
                oldLines.add("");
                newLines.add("");
            } else {
                switch (line.charAt(0)) {
                    case ' ' -> {
                        oldLines.add(line.substring(1));
                        newLines.add(line.substring(1));
                    }
                    case '-' -> oldLines.add(line.substring(1));
                    case '+' -> newLines.add(line.substring(1));
                    default -> throw wrong(i + 1, "a hunk line starts with \" \", \"-\" or \"+\", got \"" + clip(line) + "\"");
                }
            }
            i++;
        }
        if (i == start && context == null && !endOfFile) throw wrong(i + 1, "empty hunk");
        out.add(new Hunk(context, oldLines, newLines, endOfFile));
        return i;
    }

    private static String path(String line, String prefix, int index) {
        String path = line.substring(prefix.length()).strip();
        if (path.isEmpty()) throw wrong(index + 1, "\"" + prefix.strip() + "\" names no path");
        return path;
    }

    private static IllegalArgumentException wrong(int line, String message) {
        return new IllegalArgumentException("apply_patch: \"input\" line " + line + ": " + message + "; nothing was changed");
    }

    private static String clip(String line) {
        return line.length() > 60 ? line.substring(0, 60) + "…" : line;
    }

    /** The text with the hunks applied, in order; an exception naming the hunk that does not match. */
    static String apply(String original, List<Hunk> hunks, String shown) {
        boolean crlf = original.contains("\r\n");
        List<String> lines = new ArrayList<>(List.of(original.replace("\r\n", "\n").split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        record Replacement(int start, int length, List<String> lines) {}
        List<Replacement> replacements = new ArrayList<>();
        int cursor = 0;
        for (int h = 0; h < hunks.size(); h++) {
            Hunk hunk = hunks.get(h);
            if (hunk.context() != null) {
                int at = seek(lines, List.of(hunk.context()), cursor, false);
                if (at < 0) throw new IllegalArgumentException("apply_patch: hunk " + (h + 1) + " of " + shown + ": the line \"@@ "
                        + clip(hunk.context()) + "\" is not in the file (after line " + cursor + "); nothing was changed");
                cursor = at + 1;
            }
            if (hunk.oldLines().isEmpty()) {
                replacements.add(new Replacement(lines.size(), 0, hunk.newLines()));
                continue;
            }
            List<String> pattern = hunk.oldLines();
            List<String> replacement = hunk.newLines();
            int at = seek(lines, pattern, cursor, hunk.endOfFile());
            if (at < 0 && pattern.getLast().isEmpty()) { // a trailing blank line the model added to the hunk
                pattern = pattern.subList(0, pattern.size() - 1);
                if (!replacement.isEmpty() && replacement.getLast().isEmpty()) replacement = replacement.subList(0, replacement.size() - 1);
                at = pattern.isEmpty() ? -1 : seek(lines, pattern, cursor, hunk.endOfFile());
            }
            if (at < 0) {
                throw new IllegalArgumentException("apply_patch: hunk " + (h + 1) + " of " + shown + " does not match the file: these lines "
                        + "are not in it" + (cursor > 0 ? " after line " + cursor : "") + ":\n" + String.join("\n", hunk.oldLines())
                        + "\n(read the file again and copy its lines exactly); nothing was changed");
            }
            replacements.add(new Replacement(at, pattern.size(), replacement));
            cursor = at + pattern.size();
        }
        replacements.sort(Comparator.comparingInt(Replacement::start));
        for (int r = replacements.size() - 1; r >= 0; r--) {
            Replacement replacement = replacements.get(r);
            for (int k = 0; k < replacement.length(); k++) lines.remove(replacement.start());
            lines.addAll(replacement.start(), replacement.lines());
        }
        String separator = crlf ? "\r\n" : "\n";
        return lines.isEmpty() ? "" : String.join(separator, lines) + separator;
    }

    /** Where {@code pattern} starts at or after {@code from}, matching ever more loosely; -1 when nowhere. */
    static int seek(List<String> lines, List<String> pattern, int from, boolean endOfFile) {
        if (pattern.isEmpty()) return from;
        if (pattern.size() > lines.size()) return -1;
        int start = endOfFile ? lines.size() - pattern.size() : from;
        for (int pass = 0; pass < 4; pass++) {
            for (int i = Math.max(0, start); i <= lines.size() - pattern.size(); i++) {
                if (matches(lines, pattern, i, pass)) return i;
            }
            if (endOfFile) { // not at the very end: anywhere after from
                for (int i = from; i <= lines.size() - pattern.size(); i++) if (matches(lines, pattern, i, pass)) return i;
            }
        }
        return -1;
    }

    private static boolean matches(List<String> lines, List<String> pattern, int at, int pass) {
        for (int k = 0; k < pattern.size(); k++) {
            if (!normalise(lines.get(at + k), pass).equals(normalise(pattern.get(k), pass))) return false;
        }
        return true;
    }

    private static String normalise(String line, int pass) {
        return switch (pass) {
            case 0 -> line;
            case 1 -> line.stripTrailing();
            case 2 -> line.strip();
            default -> line.strip().replaceAll("[\\u2010-\\u2015\\u2212]", "-").replaceAll("[\\u2018\\u2019\\u201A\\u201B]", "'")
                    .replaceAll("[\\u201C\\u201D\\u201E\\u201F]", "\"").replace('\u00A0', ' ');
        };
    }
}
