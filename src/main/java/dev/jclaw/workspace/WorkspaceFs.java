package dev.jclaw.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files of one agent's workspace as the file tools reach them: the seam between the tools (what
 * they do with text) and where the bytes live. Today the only backend is the host's own file system
 * ({@link #host}); a sandbox backend implements (or wraps) this interface so the same tools run
 * against a sandbox's workspace.
 *
 * <h2>Paths</h2>
 * Tools pass paths as the model wrote them: relative to the workspace root, or absolute. A
 * <em>confined</em> workspace refuses every path that leaves the root, lexically ({@code ../x},
 * {@code /etc/passwd}) or through a symbolic link: each component is opened relative to the one
 * before with no-follow semantics, and a link is replaced by its target and checked again, so a link
 * that stays inside the workspace works and one that leads out is refused, never followed, whoever
 * planted it and whenever (the check and the use are the same open). An unconfined workspace
 * resolves relative paths against the root and follows links like any program.
 *
 * <h2>Failures</h2>
 * {@link PathRefusedException} for a path the workspace will not touch (its message names the path
 * and why); {@link java.nio.file.NoSuchFileException}, {@link java.nio.file.FileAlreadyExistsException}
 * and other {@link IOException}s with the path as the model wrote it, never a host-internal one.
 * <p>
 * Implementations are thread-safe; every method is a bounded, blocking file-system call.
 */
public interface WorkspaceFs {
    /** A workspace on the host's file system at {@code root} (which is created when missing). */
    static WorkspaceFs host(Path root, boolean confined) {
        return new HostWorkspace(root, confined);
    }

    /** The root, absolute. */
    Path root();

    /** Whether paths are confined to {@link #root()}, links included. */
    boolean confined();

    /** The path as shown to the model: relative to the root when inside it, else absolute. Does not touch the disk. */
    String display(String path) throws PathRefusedException;

    /** What is at {@code path} (a final link is described, not followed), or empty when nothing is. */
    Optional<FileInfo> stat(String path) throws IOException;

    /** Opens a regular file for reading (a final link is followed only where {@link #confined()} rules allow). */
    InputStream openRead(String path) throws IOException;

    /**
     * Replaces or creates a file atomically: the content goes to a temporary file beside it, synced,
     * then renamed over the old one, so a crash leaves the old file or the new one, never a mix.
     * Missing parent directories are created; an existing file keeps its permissions.
     */
    void write(String path, byte[] content) throws IOException;

    /** The entries of a directory, sorted by name; links are listed, not followed. */
    List<FileInfo> list(String directory) throws IOException;

    /** Deletes a file (a link: the link itself). Directories are refused. */
    void delete(String path) throws IOException;

    /** Renames a file; fails when {@code to} already exists. Missing parents of {@code to} are created. */
    void move(String from, String to) throws IOException;
}
