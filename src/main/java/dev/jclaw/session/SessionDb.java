package dev.jclaw.session;

import dev.jclaw.routing.SessionKey;
import dev.jclaw.routing.SessionKind;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The session rows in SQLite ({@code <state>/sessions.db}), WAL mode: the gateway writes through one
 * connection while {@code jclaw sessions} reads through its own. {@code synchronous=NORMAL}: a commit
 * survives a crash of the process (the threat kill -9 poses); a power cut may lose the last commits
 * but never corrupts the file. One lock serialises this connection's statements; each is a few
 * microseconds, far below a transcript's fsync.
 */
final class SessionDb implements AutoCloseable {
    static final String FILE = "sessions.db";
    private static final int SCHEMA_VERSION = 1;
    /** How long a statement waits for another connection's write lock before failing (ms). */
    private static final int BUSY_TIMEOUT_MS = 5_000;
    private static final String COLUMNS = "key, agent_id, session_id, kind, channel, label, spawned_by, started_at, updated_at, "
            + "provider_override, model_override, input_tokens, output_tokens, total_tokens, context_tokens, transcript";

    private final Connection connection;
    private final Path stateDir;
    private final ReentrantLock lock = new ReentrantLock();
    /** The hot paths' statements, prepared once: key lookup and the per-append touch. */
    private PreparedStatement getByKey;
    private PreparedStatement touch;

    private SessionDb(Connection connection, Path stateDir) {
        this.connection = connection;
        this.stateDir = stateDir;
    }

    /** The store of {@code stateDir}, created if missing. */
    static SessionDb openWritable(Path stateDir) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        SessionDb db = connect("jdbc:sqlite:" + stateDir.resolve(FILE), config, stateDir);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            try {
                db.close(); // a store written by a newer JClaw, say: its connection must not stay open
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return db;
    }

    /** A read-only view of {@code stateDir}'s store; an empty one when no store exists yet. */
    static SessionDb openReadOnly(Path stateDir) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        if (!Files.exists(stateDir.resolve(FILE))) {
            SessionDb empty = connect("jdbc:sqlite::memory:", config, stateDir);
            empty.migrate();
            return empty;
        }
        config.setReadOnly(true);
        return connect("jdbc:sqlite:" + stateDir.resolve(FILE), config, stateDir);
    }

    private static SessionDb connect(String url, SQLiteConfig config, Path stateDir) {
        if (Files.isDirectory(stateDir)) SqliteNative.useCopyIn(stateDir);
        try {
            return new SessionDb(DriverManager.getConnection(url, config.toProperties()), stateDir);
        } catch (SQLException e) {
            throw new SessionStoreException("cannot open the session store in " + stateDir, e);
        }
    }

    private void migrate() {
        execute(() -> {
            try (Statement s = connection.createStatement()) {
                int version;
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version > SCHEMA_VERSION) {
                    throw new SessionStoreException("the session store was written by a newer JClaw (schema " + version + ")", null);
                }
                if (version == SCHEMA_VERSION) return null;
                s.executeUpdate("""
                        CREATE TABLE sessions (
                          key TEXT PRIMARY KEY,
                          agent_id TEXT NOT NULL,
                          session_id TEXT NOT NULL UNIQUE,
                          kind TEXT NOT NULL,
                          channel TEXT,
                          label TEXT,
                          spawned_by TEXT,
                          started_at INTEGER NOT NULL,
                          updated_at INTEGER NOT NULL,
                          provider_override TEXT,
                          model_override TEXT,
                          input_tokens INTEGER NOT NULL DEFAULT 0,
                          output_tokens INTEGER NOT NULL DEFAULT 0,
                          total_tokens INTEGER NOT NULL DEFAULT 0,
                          context_tokens INTEGER NOT NULL DEFAULT 0,
                          transcript TEXT NOT NULL,
                          extra TEXT
                        ) WITHOUT ROWID""");
                s.executeUpdate("CREATE INDEX sessions_by_updated ON sessions(updated_at DESC)");
                s.executeUpdate("CREATE INDEX sessions_by_agent ON sessions(agent_id, updated_at DESC)");
                s.executeUpdate("CREATE INDEX sessions_by_parent ON sessions(spawned_by) WHERE spawned_by IS NOT NULL");
                s.executeUpdate("CREATE UNIQUE INDEX sessions_by_label ON sessions(agent_id, label) WHERE label IS NOT NULL");
                s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
                return null;
            }
        });
    }

    Optional<SessionEntry> get(String key) {
        return execute(() -> {
            if (getByKey == null) getByKey = connection.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE key = ?");
            getByKey.setString(1, key);
            List<SessionEntry> rows = rows(getByKey);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
        });
    }

    Optional<SessionEntry> bySessionId(String sessionId) {
        return queryOne("SELECT " + COLUMNS + " FROM sessions WHERE session_id = ?", sessionId);
    }

    Optional<SessionEntry> byLabel(String agentId, String label) {
        return queryOne("SELECT " + COLUMNS + " FROM sessions WHERE agent_id = ? AND label = ?", agentId, label);
    }

    List<SessionEntry> list(SessionQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM sessions WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.agentId() != null) {
            sql.append(" AND agent_id = ?");
            args.add(q.agentId());
        }
        if (q.spawnedBy() != null) {
            sql.append(" AND spawned_by = ?");
            args.add(q.spawnedBy());
        }
        if (q.updatedSince() != null) {
            sql.append(" AND updated_at >= ?");
            args.add(q.updatedSince().toEpochMilli());
        }
        if (!q.kinds().isEmpty()) {
            sql.append(" AND kind IN (").append("?, ".repeat(q.kinds().size() - 1)).append("?)");
            for (SessionKind kind : q.kinds()) args.add(kind.toString());
        }
        sql.append(" ORDER BY updated_at DESC, key LIMIT ?");
        args.add(q.limit());
        return execute(() -> {
            try (PreparedStatement s = prepare(sql.toString(), args.toArray())) {
                return rows(s);
            }
        });
    }

    /** Inserts a row; {@code extra} holds OpenClaw fields JClaw does not model (JSON), or null. */
    void insert(SessionEntry e, String extra) {
        update("INSERT INTO sessions (" + COLUMNS + ", extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.key().toString(), e.agentId(), e.sessionId(), e.kind().toString(), e.channel(), e.label(), e.spawnedBy(),
                e.startedAt().toEpochMilli(), e.updatedAt().toEpochMilli(), e.providerOverride(), e.modelOverride(),
                e.tokens().input(), e.tokens().output(), e.tokens().total(), e.tokens().context(), relative(e.transcript()), extra);
    }

    /** A reset: new transcript, counters back to zero. */
    void replaceTranscript(String key, String sessionId, Instant now, Path transcript) {
        update("UPDATE sessions SET session_id = ?, started_at = ?, updated_at = ?, input_tokens = 0, output_tokens = 0, "
                + "total_tokens = 0, context_tokens = 0, transcript = ? WHERE key = ?",
                sessionId, now.toEpochMilli(), now.toEpochMilli(), relative(transcript), key);
    }

    void touch(String key, Instant now) {
        execute(() -> {
            if (touch == null) touch = connection.prepareStatement("UPDATE sessions SET updated_at = ? WHERE key = ?");
            touch.setLong(1, now.toEpochMilli());
            touch.setString(2, key);
            return touch.executeUpdate();
        });
    }

    /** Returns the rows changed: 0 when there is no such session. */
    int addUsage(String key, long input, long output, long context, Instant now) {
        return update("UPDATE sessions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, "
                + "total_tokens = total_tokens + ?, context_tokens = ?, updated_at = ? WHERE key = ?",
                input, output, input + output, context, now.toEpochMilli(), key);
    }

    void setModelOverride(String key, String provider, String model, Instant now) {
        update("UPDATE sessions SET provider_override = ?, model_override = ?, updated_at = ? WHERE key = ?",
                provider, model, now.toEpochMilli(), key);
    }

    void setLabel(String key, String label, Instant now) {
        update("UPDATE sessions SET label = ?, updated_at = ? WHERE key = ?", label, now.toEpochMilli(), key);
    }

    boolean delete(String key) {
        return update("DELETE FROM sessions WHERE key = ?", key) > 0;
    }

    long count() {
        return execute(() -> {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM sessions")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    java.util.Map<String, Long> countByAgent() {
        return execute(() -> {
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT agent_id, count(*) FROM sessions GROUP BY agent_id")) {
                while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts;
        });
    }

    private Optional<SessionEntry> queryOne(String sql, Object... args) {
        return execute(() -> {
            try (PreparedStatement s = prepare(sql, args)) {
                List<SessionEntry> rows = rows(s);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
            }
        });
    }

    private int update(String sql, Object... args) {
        return execute(() -> {
            try (PreparedStatement s = prepare(sql, args)) {
                return s.executeUpdate();
            }
        });
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) s.setNull(i + 1, Types.VARCHAR);
            else s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private List<SessionEntry> rows(PreparedStatement s) throws SQLException {
        List<SessionEntry> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new SessionEntry(SessionKey.parse(rs.getString(1)), rs.getString(2), rs.getString(3),
                        SessionKind.fromString(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7),
                        Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)), rs.getString(10), rs.getString(11),
                        new SessionEntry.TokenCounts(rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15)),
                        stateDir.resolve(rs.getString(16)).normalize()));
            }
        }
        return out;
    }

    /** Transcript paths are stored relative to the state dir, so a moved state dir keeps working. */
    private String relative(Path transcript) {
        Path absolute = transcript.toAbsolutePath().normalize();
        return absolute.startsWith(stateDir) ? stateDir.relativize(absolute).toString() : absolute.toString();
    }

    /** SQL work that may throw {@link SQLException}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T execute(SqlWork<T> work) {
        lock.lock();
        try {
            return work.run();
        } catch (SQLException e) {
            throw new SessionStoreException("session store: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new SessionStoreException("cannot close the session store", e);
        } finally {
            lock.unlock();
        }
    }
}
