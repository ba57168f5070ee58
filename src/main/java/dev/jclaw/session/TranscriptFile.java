package dev.jclaw.session;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One transcript file: JSONL, a header line then entries chained by {@code parentId}.
 *
 * <p><b>Durability.</b> Each entry is one {@code write} of a whole line followed by {@code fdatasync},
 * so once {@link #append} returns the entry survives a crash of the process or the machine. A crash
 * during the write can leave a torn last line; readers skip an unreadable line with a warning, and
 * the next append first ends the torn line with a newline so the new entry starts on its own line.
 *
 * <p><b>Writers.</b> One appender per file: the store holds the state dir's lock, the session lane runs
 * one turn per session, and {@link #append} is synchronized as a last guard. The appender keeps the
 * chain's tail and the ids in use in memory, learned by one scan when the file is first appended to.
 */
final class TranscriptFile {
    private final Path path;
    private final Set<String> ids;
    private String lastId;
    private boolean endsMidLine;

    private TranscriptFile(Path path, Set<String> ids, String lastId, boolean endsMidLine) {
        this.path = path;
        this.ids = ids;
        this.lastId = lastId;
        this.endsMidLine = endsMidLine;
    }

    Path path() {
        return path;
    }

    /** Creates the file with its header, durably (file and folder entry); fails if it exists. */
    static TranscriptFile create(Path path, String sessionId, String cwd, Instant now) {
        try {
            Files.createDirectories(path.getParent());
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(channel, TranscriptCodec.header(sessionId, now, cwd) + "\n");
                channel.force(true);
            }
            syncDirectory(path.getParent());
            return new TranscriptFile(path, new HashSet<>(), null, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create transcript " + path, e);
        }
    }

    /** The appender of an existing file (one with just a header is created when it is missing). */
    static TranscriptFile open(Path path, String sessionId) {
        if (!Files.exists(path)) return create(path, sessionId, "", Instant.now());
        // Only the ids are kept (new ids must not collide): a long transcript is read once, line by line,
        // never held whole. Unreadable lines are skipped here as on every read, and reported there.
        Set<String> ids = new HashSet<>();
        String last = null;
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            List<Line> line = new ArrayList<>(1);
            List<String> ignored = new ArrayList<>();
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                parseLine(path, text, line, ignored);
                if (line.isEmpty()) continue;
                last = line.getFirst().id();
                ids.add(last);
                line.clear();
                ignored.clear();
            }
            return new TranscriptFile(path, ids, last, !endsWithNewline(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + path, e);
        }
    }

    /** Appends a message entry to the end of the chain and syncs it to disk; returns the entry. */
    synchronized TranscriptEntry append(TranscriptMessage message, Instant now) {
        String id = newId();
        String line = TranscriptCodec.messageLine(id, lastId, now, message) + "\n";
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            writeFully(channel, endsMidLine ? "\n" + line : line);
            channel.force(false);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("transcript " + path + " was removed while its session is active", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to transcript " + path, e);
        }
        TranscriptEntry entry = new TranscriptEntry(id, lastId, now, message);
        endsMidLine = false;
        ids.add(id);
        lastId = id;
        return entry;
    }

    private String newId() {
        HexFormat hex = HexFormat.of();
        while (true) {
            String id = hex.toHexDigits(ThreadLocalRandom.current().nextInt());
            if (!ids.contains(id)) return id;
        }
    }

    /** The {@code cwd} of the file's header, or "" when it has none. */
    static String headerCwd(Path path) {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            return first == null ? "" : TranscriptCodec.JSON.readTree(first).path("cwd").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The last {@code limit} messages on the branch ending at the file's last entry, oldest first.
     * Reads from the end: a tail of {@value #TAIL_BYTES} bytes, growing fourfold while the branch
     * leads further back, so a long transcript costs what the messages asked for, not its length.
     */
    static History history(Path path, int limit) {
        return history(path, limit, null);
    }

    /**
     * As {@link #history(Path, int)}, reusing the lines {@code cache} holds for this file: transcripts
     * only grow (a reset or delete starts another file), so a file of the same identity that is
     * longer than when it was read costs only its new bytes.
     */
    static History history(Path path, int limit, Tails cache) {
        if (!Files.exists(path)) return new History(List.of(), List.of());
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            Object identity = cache == null ? null : Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            Tail known = identity == null ? null : cache.get(path);
            if (known != null && known.identity().equals(identity) && known.size() <= size) {
                Scan added = parse(path, readFrom(channel, known.size(), size), false);
                if (!added.endsMidLine()) {
                    List<Line> lines = new ArrayList<>(known.lines().size() + added.lines().size());
                    lines.addAll(known.lines());
                    lines.addAll(added.lines());
                    Walk walk = walk(lines, limit);
                    if (walk.complete() || known.windowStart() == 0) {
                        cache.keep(path, new Tail(identity, size, known.windowStart(), lines));
                        return new History(walk.entries(), added.warnings());
                    }
                }
            }
            for (long tail = TAIL_BYTES; ; tail *= 4) {
                long start = Math.max(0, size - tail);
                Scan scan = parse(path, readFrom(channel, start, size), start > 0);
                Walk walk = walk(scan.lines(), limit);
                if (walk.complete() || start == 0) {
                    if (identity != null && !scan.endsMidLine()) cache.keep(path, new Tail(identity, size, start, scan.lines()));
                    return new History(walk.entries(), scan.warnings());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + path, e);
        }
    }

    /** The parsed lines of bytes {@code windowStart} to {@code size} of a transcript (0: all of it). */
    record Tail(Object identity, long size, long windowStart, List<Line> lines) {
        Tail {
            lines = List.copyOf(lines);
        }
    }

    /**
     * The tails of recently read transcripts: at most {@code files} of them (least recently read go
     * first), each of at most {@code maxBytes} of transcript. A tail that grows past that keeps only
     * its newest lines (half the bound), so the memory held stays bounded whatever the sessions hold,
     * and a long session still reads only its new bytes.
     */
    static final class Tails {
        private final Map<Path, Tail> byPath;
        private final long maxBytes;

        Tails(int files, long maxBytes) {
            this.maxBytes = maxBytes;
            this.byPath = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, Tail> eldest) {
                    return size() > files;
                }
            });
        }

        Tail get(Path path) {
            return byPath.get(path);
        }

        /** Keeps {@code tail}; one past the bound keeps its newest lines, half the bound's worth, and goes on from there. */
        void keep(Path path, Tail tail) {
            if (tail.size() - tail.windowStart() <= maxBytes) {
                byPath.put(path, tail);
                return;
            }
            List<Line> lines = tail.lines();
            long kept = 0;
            int from = lines.size();
            while (from > 0 && kept + lines.get(from - 1).bytes() <= maxBytes / 2) kept += lines.get(--from).bytes();
            byPath.put(path, new Tail(tail.identity(), tail.size(), Math.max(1, tail.size() - kept), lines.subList(from, lines.size())));
        }
    }

    private static final long TAIL_BYTES = 64 * 1024;

    /** Messages found walking back from the last entry; incomplete when a parent lies before the lines read. */
    private record Walk(List<TranscriptEntry> entries, boolean complete) {}

    private static Walk walk(List<Line> lines, int limit) {
        Map<String, Line> byId = new HashMap<>();
        for (Line line : lines) byId.put(line.id(), line);
        Deque<TranscriptEntry> branch = new ArrayDeque<>();
        Set<String> visited = new HashSet<>();
        Line at = lines.isEmpty() ? null : lines.getLast();
        while (at != null && branch.size() < limit && visited.add(at.id())) {
            if (at.node().path("type").asText().equals("message")) {
                branch.addFirst(new TranscriptEntry(at.id(), at.parentId(), at.timestamp(), TranscriptCodec.decode(at.node().path("message"))));
            }
            if (at.parentId() == null) return new Walk(new ArrayList<>(branch), true);
            Line parent = byId.get(at.parentId());
            if (parent == null) return new Walk(new ArrayList<>(branch), branch.size() >= limit);
            at = parent;
        }
        return new Walk(new ArrayList<>(branch), at != null || !lines.isEmpty());
    }

    private static byte[] readFrom(FileChannel channel, long start, long end) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(end - start));
        while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
            // fill
        }
        return buffer.array();
    }

    /**
     * An entry line: any type with an id (message, compaction, custom, ...). {@code bytes}: the line's
     * length in the file, newline included (UTF-16 units: close enough to bound memory).
     */
    record Line(String id, String parentId, Instant timestamp, JsonNode node, int bytes) {}

    private record Scan(List<Line> lines, List<String> warnings, boolean endsMidLine) {}

    /**
     * Entry lines of {@code bytes}; when {@code fromMiddle}, the text before the first newline may be
     * the end of a line cut by the read, and is not looked at.
     */
    private static Scan parse(Path path, byte[] bytes, boolean fromMiddle) {
        List<Line> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int from = 0;
        if (fromMiddle) {
            while (from < bytes.length && bytes[from] != '\n') from++;
            from++;
        }
        while (from < bytes.length) {
            int to = from;
            while (to < bytes.length && bytes[to] != '\n') to++;
            parseLine(path, new String(bytes, from, to - from, StandardCharsets.UTF_8), lines, warnings);
            from = to + 1;
        }
        return new Scan(lines, warnings, bytes.length > 0 && bytes[bytes.length - 1] != '\n');
    }

    private static void parseLine(Path path, String text, List<Line> lines, List<String> warnings) {
        if (text.isBlank()) return;
        JsonNode node;
        try {
            node = TranscriptCodec.JSON.readTree(text);
        } catch (IOException e) {
            warnings.add(path.getFileName() + ": unreadable line (" + abbreviate(text) + "), skipped");
            return;
        }
        if (!node.isObject() || node.path("type").asText().equals("session")) return;
        String id = node.path("id").asText(null);
        if (id == null) {
            warnings.add(path.getFileName() + ": entry without id (" + abbreviate(text) + "), skipped");
            return;
        }
        lines.add(new Line(id, node.path("parentId").asText(null), timestamp(node), node, text.length() + 1));
    }

    private static boolean endsWithNewline(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) return true;
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    private static Instant timestamp(JsonNode node) {
        try {
            return Instant.parse(node.path("timestamp").asText());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /** Makes a created or renamed file's folder entry durable. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some filesystems refuse to sync a folder; the file itself is synced
        }
    }
}
