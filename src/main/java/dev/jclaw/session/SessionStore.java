package dev.jclaw.session;

import dev.jclaw.routing.SessionKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway's sessions: rows in SQLite ({@code <state>/sessions.db}) and one JSONL transcript per
 * sessionId in OpenClaw's layout and v3 format ({@code <state>/agents/<agentId>/sessions/<sessionId>.jsonl}),
 * so OpenClaw's tooling reads them.
 *
 * <p><b>One writer.</b> Opening a store for writing needs the state dir's {@link StateLock}, so a second
 * gateway cannot write the same store; readers use {@link #openReadOnly}. Within the gateway, a
 * session's turns are serialised by its lane; the store adds no ordering of its own beyond that.
 *
 * <p><b>Crash safety.</b> Each transcript entry is synced before {@link #append} returns (see
 * {@link TranscriptFile}). A reset first writes the new transcript, then switches the row, then
 * archives the old file, so a crash at any point leaves the row pointing at a complete transcript.
 *
 * <p>Methods that change a session throw {@link NoSuchElementException} when its key has no row.
 */
public final class SessionStore implements SessionReader {
    /** Transcript appenders kept in memory (each holds only the chain tail and the ids in use). */
    private static final int OPEN_TRANSCRIPTS = 4_096;

    private final Path stateDir;
    private final SessionDb db;
    private final StateLock lock;
    private final Clock clock;
    /**
     * Every run reads its session's history: the parsed ends of recent transcripts spare re-reading
     * them. Bounded: 32 sessions × 512 KiB of transcript (parsed, a few times that in heap at worst).
     */
    private final TranscriptFile.Tails tails = new TranscriptFile.Tails(32, 512 * 1024);
    private final Map<Path, TranscriptFile> transcripts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, TranscriptFile> eldest) {
            return size() > OPEN_TRANSCRIPTS;
        }
    };

    private SessionStore(Path stateDir, SessionDb db, StateLock lock, Clock clock) {
        this.stateDir = stateDir;
        this.db = db;
        this.lock = lock;
        this.clock = clock;
    }

    /** The writable store of the state dir {@code lock} guards. */
    public static SessionStore open(StateLock lock) {
        return open(lock, Clock.systemUTC());
    }

    static SessionStore open(StateLock lock, Clock clock) {
        if (!lock.isHeld()) throw new IllegalStateException("the state dir lock was released");
        Path stateDir = lock.stateDir();
        return new SessionStore(stateDir, SessionDb.openWritable(stateDir), lock, clock);
    }

    /** Reads {@code stateDir}'s store without locking it, also while a gateway writes it. */
    public static SessionReader openReadOnly(Path stateDir) {
        Path dir = stateDir.toAbsolutePath().normalize();
        return new SessionStore(dir, SessionDb.openReadOnly(dir), null, Clock.systemUTC());
    }

    /** Where the transcript of {@code sessionId} lives: {@code <state>/agents/<agentId>/sessions/<sessionId>.jsonl}. */
    public static Path transcriptPath(Path stateDir, String agentId, String sessionId) {
        return stateDir.resolve("agents").resolve(agentId).resolve("sessions").resolve(sessionId + ".jsonl");
    }

    @Override
    public Optional<SessionEntry> get(SessionKey key) {
        return db.get(key.toString());
    }

    @Override
    public Optional<SessionEntry> findBySessionId(String sessionId) {
        return db.bySessionId(sessionId);
    }

    @Override
    public List<SessionEntry> list(SessionQuery query) {
        return db.list(query);
    }

    @Override
    public Optional<SessionEntry> findByLabel(String agentId, String label) {
        return db.byLabel(agentId, label);
    }

    @Override
    public History history(SessionKey key, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        return get(key).map(e -> TranscriptFile.history(e.transcript(), limit, tails)).orElse(new History(List.of(), List.of()));
    }

    /** The session of {@code key}, created with a new transcript from {@code spec} if it has none. */
    public SessionEntry getOrCreate(SessionKey key, NewSession spec) {
        writable();
        synchronized (this) {
            Optional<SessionEntry> existing = get(key);
            if (existing.isPresent()) return existing.get();
            if (spec.label() != null) requireFreeLabel(spec.agentId(), spec.label(), key);
            Instant now = now();
            String sessionId = UUID.randomUUID().toString();
            Path transcript = transcriptPath(stateDir, spec.agentId(), sessionId);
            TranscriptFile file = TranscriptFile.create(transcript, sessionId, spec.cwd(), now);
            SessionEntry entry = new SessionEntry(key, spec.agentId(), sessionId, spec.kind(), spec.channel(), spec.label(),
                    spec.spawnedBy(), now, now, null, null, SessionEntry.TokenCounts.ZERO, transcript);
            db.insert(entry, null);
            remember(file);
            return entry;
        }
    }

    /** Appends {@code message} to the session's transcript, durably, and marks the session updated. */
    public TranscriptEntry append(SessionKey key, TranscriptMessage message) {
        writable();
        Objects.requireNonNull(message, "message");
        SessionEntry entry = require(key);
        Instant now = now();
        TranscriptEntry written = appender(entry).append(message, now);
        db.touch(key.toString(), now);
        return written;
    }

    /** Adds one run's token usage; {@code context} replaces the last context size. */
    public SessionEntry addUsage(SessionKey key, long input, long output, long context) {
        writable();
        // Every model turn comes here: one update, its row count telling whether the session exists.
        if (db.addUsage(key.toString(), input, output, context, now()) == 0) throw new NoSuchElementException("no session " + key);
        return require(key);
    }

    /** Pins the session to a model; nulls clear the override. */
    public SessionEntry setModelOverride(SessionKey key, String provider, String model) {
        writable();
        require(key);
        db.setModelOverride(key.toString(), provider, model, now());
        return require(key);
    }

    /**
     * Names the session; null clears the label.
     *
     * @throws IllegalArgumentException when another session of the same agent has this label
     */
    public synchronized SessionEntry setLabel(SessionKey key, String label) {
        writable();
        SessionEntry entry = require(key);
        if (label != null) requireFreeLabel(entry.agentId(), label, key);
        db.setLabel(key.toString(), label, now());
        return require(key);
    }

    /**
     * Starts the session over: a new sessionId and transcript; the old transcript is kept as
     * {@code <file>.reset.<timestamp>}. Label, kind, channel and model override stay; token counters restart.
     */
    public SessionEntry reset(SessionKey key) {
        writable();
        SessionEntry old = require(key);
        Instant now = now();
        String sessionId = UUID.randomUUID().toString();
        Path transcript = transcriptPath(stateDir, old.agentId(), sessionId);
        TranscriptFile file = TranscriptFile.create(transcript, sessionId, TranscriptFile.headerCwd(old.transcript()), now);
        db.replaceTranscript(key.toString(), sessionId, now, transcript);
        forget(old.transcript());
        archive(old.transcript(), "reset", now);
        remember(file);
        return require(key);
    }

    /**
     * Removes the session's row. Its transcript is deleted when {@code removeTranscript}, else kept as
     * {@code <file>.deleted.<timestamp>}.
     *
     * @return whether the session existed
     */
    public boolean delete(SessionKey key, boolean removeTranscript) {
        writable();
        Optional<SessionEntry> entry = get(key);
        if (entry.isEmpty()) return false;
        db.delete(key.toString());
        Path transcript = entry.get().transcript();
        forget(transcript);
        if (removeTranscript) {
            try {
                Files.deleteIfExists(transcript);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete transcript " + transcript, e);
            }
        } else {
            archive(transcript, "deleted", now());
        }
        return true;
    }

    /** Rows in the store. */
    public long count() {
        return db.count();
    }

    /** Sessions per agent id (agents without sessions are absent). */
    public java.util.Map<String, Long> countByAgent() {
        return db.countByAgent();
    }

    /** The state dir this store lives in. */
    public Path stateDir() {
        return stateDir;
    }

    /** Inserts an imported row as is (its transcript already in place); package-private for the importer. */
    void insertImported(SessionEntry entry, String extra) {
        writable();
        db.insert(entry, extra);
    }

    private SessionEntry require(SessionKey key) {
        return get(key).orElseThrow(() -> new NoSuchElementException("no session " + key));
    }

    private void requireFreeLabel(String agentId, String label, SessionKey key) {
        Optional<SessionEntry> holder = db.byLabel(agentId, label);
        if (holder.isPresent() && !holder.get().key().equals(key)) {
            throw new IllegalArgumentException("label \"" + label + "\" is already used by session " + holder.get().key());
        }
    }

    private TranscriptFile appender(SessionEntry entry) {
        synchronized (transcripts) {
            TranscriptFile file = transcripts.get(entry.transcript());
            if (file != null) return file;
        }
        TranscriptFile opened = TranscriptFile.open(entry.transcript(), entry.sessionId());
        synchronized (transcripts) {
            return transcripts.computeIfAbsent(entry.transcript(), p -> opened);
        }
    }

    private void remember(TranscriptFile file) {
        synchronized (transcripts) {
            transcripts.put(file.path(), file);
        }
    }

    private void forget(Path transcript) {
        synchronized (transcripts) {
            transcripts.remove(transcript);
        }
    }

    /** Renames {@code file} to {@code <file>.<reason>.<timestamp>} (OpenClaw's archive names). */
    private static void archive(Path file, String reason, Instant now) {
        if (!Files.exists(file)) return;
        String stamp = TranscriptCodec.iso(now).replace(':', '-');
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + "." + reason + "." + stamp));
            TranscriptFile.syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive transcript " + file, e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void writable() {
        if (lock == null) throw new IllegalStateException("this session store was opened read-only");
        if (!lock.isHeld()) throw new IllegalStateException("the state dir lock was released; the store is no longer writable");
    }

    @Override
    public void close() {
        db.close();
    }
}
