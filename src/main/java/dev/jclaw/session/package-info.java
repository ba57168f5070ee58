/**
 * The session store: which sessions exist and what was said in them.
 *
 * <ul>
 *   <li>{@link dev.jclaw.session.StateLock}: one writer per state dir; the gateway takes it at start.</li>
 *   <li>{@link dev.jclaw.session.SessionStore}: create, find, list, update, reset and delete sessions,
 *       append transcript messages durably; {@link dev.jclaw.session.SessionStore#openReadOnly} gives a
 *       {@link dev.jclaw.session.SessionReader} that works while a gateway writes.</li>
 *   <li>{@link dev.jclaw.session.SessionEntry}, {@link dev.jclaw.session.NewSession},
 *       {@link dev.jclaw.session.SessionQuery}: rows, what creates them, how to list them.</li>
 *   <li>{@link dev.jclaw.session.TranscriptMessage}, {@link dev.jclaw.session.TranscriptEntry},
 *       {@link dev.jclaw.session.History}: OpenClaw's v3 transcript messages.</li>
 *   <li>{@link dev.jclaw.session.OpenClawImport}: sessions from an OpenClaw state dir.</li>
 * </ul>
 * Internals: {@code SessionDb} (SQLite), {@code TranscriptFile} (JSONL, fsync per entry, tail reads),
 * {@code TranscriptCodec} (the line format). Layout and guarantees: docs/CONFIG.md, "Session store on disk".
 */
package dev.jclaw.session;
