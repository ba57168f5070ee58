package dev.jclaw.tools;

import dev.jclaw.workspace.WorkspaceFs;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Map;

/**
 * {@code read}: a text file's lines from {@code offset} (1-based), at most {@code limit} lines and
 * 50 KB per call, ending with how to continue when there is more; a line longer than 50 KB is read
 * in pieces with {@code cursor}. Binary files are refused; a missing file names the files nearby.
 */
final class ReadTool implements Tool {
    static final int MAX_LINES = 2000;
    static final int MAX_BYTES = 50 * 1024;
    /** How far past the window lines are still counted for "of N" (bytes); past it the total is not given. */
    private static final long COUNT_LIMIT_CHARS = 64L * 1024 * 1024;

    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "path", FileTools.property("string", "File to read, relative to the workspace or absolute"),
            "offset", Map.of("type", "integer", "minimum", 1, "description", "First line to read, 1-based (default 1)"),
            "limit", Map.of("type", "integer", "minimum", 1, "maximum", MAX_LINES, "description", "Lines to read at most (default and cap 2000)"),
            "cursor", Map.of("type", "integer", "minimum", 0, "description", "Character in the offset line to start at, for lines longer than 50 KB")),
            "required", List.of("path"), "additionalProperties", false);

    @Override
    public String name() {
        return "read";
    }

    @Override
    public String description() {
        return "Read a text file of the workspace: up to 2000 lines or 50 KB per call, from line `offset`. "
                + "When there is more, the result ends with the offset to continue from.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        String path = args.required("path");
        int offset = args.integer("offset", 1, 1, Integer.MAX_VALUE);
        int limit = args.integer("limit", MAX_LINES, 1, Integer.MAX_VALUE);
        int cursor = args.integer("cursor", 0, 0, Integer.MAX_VALUE);
        WorkspaceFs fs = FileTools.workspace(context, false);
        try {
            return ToolOutput.ok(read(fs, path, offset, Math.min(limit, MAX_LINES), cursor));
        } catch (IOException e) {
            return FileTools.failure(name(), "path", path, e, fs);
        } catch (IllegalArgumentException e) {
            return ToolOutput.error(e.getMessage());
        }
    }

    static String read(WorkspaceFs fs, String path, int offset, int limit, int cursor) throws IOException {
        String shown = fs.display(path);
        try (InputStream raw = new BufferedInputStream(fs.openRead(path), 64 * 1024)) {
            raw.mark(FileTools.SNIFF_BYTES);
            byte[] head = raw.readNBytes(FileTools.SNIFF_BYTES);
            if (FileTools.looksBinary(head, head.length)) throw FileTools.binary(shown, head);
            raw.reset();
            BufferedReader reader = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
            return window(reader, shown, offset, limit, cursor);
        } catch (CharacterCodingException e) {
            throw new FileSystemException(shown, null, "is not UTF-8 text; the file tools read and edit text only");
        }
    }

    private static String window(BufferedReader reader, String shown, int offset, int limit, int cursor) throws IOException {
        int lineNo = 0;
        String line = null;
        while (lineNo < offset && (line = reader.readLine()) != null) lineNo++;
        if (line == null) {
            if (offset == 1) return ""; // an empty file
            throw new IllegalArgumentException("read: \"offset\" " + offset + " is past the end of " + shown + " (" + lineNo + " lines)");
        }
        StringBuilder out = new StringBuilder();
        int first = offset;
        int bytes = 0;
        int last;
        String stop;
        while (true) {
            String text = lineNo == first && cursor > 0 ? line.substring(Math.min(cursor, line.length())) : line;
            int size = utf8Length(text) + 1;
            if (bytes + size > MAX_BYTES) {
                if (lineNo == first) return longLine(reader, line, lineNo, Math.min(cursor, line.length()));
                last = lineNo - 1;
                stop = " (50 KB limit)";
                break;
            }
            out.append(text).append('\n');
            bytes += size;
            if (lineNo - first + 1 >= limit) {
                last = lineNo;
                stop = limit == MAX_LINES ? " (2000-line limit)" : "";
                break;
            }
            line = reader.readLine();
            if (line == null) return endOfFile(out, first, lineNo, cursor);
            lineNo++;
        }
        long rest = lineCount(reader);
        if (rest == 0 && last == lineNo) return endOfFile(out, first, lineNo, cursor); // the limit fell on the last line
        String of = rest < 0 ? "" : " of " + (lineNo + rest);
        return out + "\n[Showing lines " + first + "-" + last + of + stop + ". Use offset=" + (last + 1) + " to continue.]";
    }

    private static String endOfFile(StringBuilder out, int first, int last, int cursor) {
        out.setLength(out.length() - 1); // the text as it is, without the separator added after the last line
        if (first == 1 && cursor == 0) return out.toString();
        return out + "\n\n[Lines " + first + "-" + last + " of " + last + (cursor > 0 ? " (line " + first + " from character " + cursor + ")" : "")
                + ": end of file.]";
    }

    /** A piece of one line longer than the whole window, from {@code start}, and how to go on. */
    private static String longLine(BufferedReader reader, String line, int lineNo, int start) throws IOException {
        int end = start + piece(line.substring(start), MAX_BYTES);
        long rest = lineCount(reader);
        String more = end < line.length() ? "Use offset=" + lineNo + " cursor=" + end + " to continue."
                : rest > 0 ? "Use offset=" + (lineNo + 1) + " to continue." : "End of file.";
        return line.substring(start, end) + "\n\n[Line " + lineNo + " is longer than 50 KB: showing characters " + start + "-" + end
                + " of " + line.length() + (rest >= 0 ? "; the file has " + (lineNo + rest) + " lines" : "") + ". " + more + "]";
    }

    /** Lines left in the reader (a last line without a newline counts), or -1 past {@link #COUNT_LIMIT_CHARS}. */
    private static long lineCount(BufferedReader reader) throws IOException {
        char[] buffer = new char[64 * 1024];
        long lines = 0;
        long read = 0;
        boolean pending = false;
        for (int n; (n = reader.read(buffer)) > 0; ) {
            read += n;
            if (read > COUNT_LIMIT_CHARS) return -1;
            for (int i = 0; i < n; i++) if (buffer[i] == '\n') lines++;
            pending = buffer[n - 1] != '\n';
        }
        return lines + (pending ? 1 : 0);
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) bytes++;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else bytes += 3;
        }
        return bytes;
    }

    /** How many chars of {@code text} fit in {@code maxBytes} of UTF-8, not splitting a surrogate pair. */
    private static int piece(String text, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : 3;
            if (bytes + size > maxBytes) break;
            bytes += size;
            i += Character.isHighSurrogate(c) ? 2 : 1;
        }
        return Math.min(i, text.length());
    }
}
