package dev.jclaw.workspace;

import java.io.IOException;

/** A path the workspace will not touch: outside it, through a link that leads out of it, or malformed. */
public final class PathRefusedException extends IOException {
    public PathRefusedException(String message) {
        super(message);
    }
}
