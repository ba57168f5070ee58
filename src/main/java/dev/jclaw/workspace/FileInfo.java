package dev.jclaw.workspace;

import java.time.Instant;

/**
 * One entry of a workspace.
 *
 * @param name       the last component of its path
 * @param kind       what it is (a link is a link: it is never followed to describe it)
 * @param size       bytes, for a file; 0 otherwise
 * @param modified   last modification
 * @param linkTarget for a link, its target as written; else null
 */
public record FileInfo(String name, Kind kind, long size, Instant modified, String linkTarget) {
    public enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }
}
