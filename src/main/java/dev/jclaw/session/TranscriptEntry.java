package dev.jclaw.session;

import java.time.Instant;

/**
 * A message line of a transcript: {@code {type: "message", id, parentId, timestamp, message}}.
 *
 * @param id       8 hex characters, unique within the transcript
 * @param parentId the previous entry on this branch, or null for the first
 */
public record TranscriptEntry(String id, String parentId, Instant timestamp, TranscriptMessage message) {}
