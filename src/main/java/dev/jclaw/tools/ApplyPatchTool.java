package dev.jclaw.tools;

import dev.jclaw.workspace.FileInfo;
import dev.jclaw.workspace.WorkspaceFs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code apply_patch}: adds, deletes, updates and moves files by a {@code *** Begin Patch} patch, all
 * or nothing. Every operation is checked against the files as the earlier operations of the same
 * patch leave them before anything is written; if a write then fails, the files already written are
 * put back. Confined when {@code tools.fs.workspaceOnly} or {@code tools.exec.applyPatch.workspaceOnly} is.
 */
final class ApplyPatchTool implements Tool {
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "input", FileTools.property("string", "The whole patch, from \"*** Begin Patch\" to \"*** End Patch\"")),
            "required", List.of("input"), "additionalProperties", false);

    @Override
    public String name() {
        return "apply_patch";
    }

    @Override
    public String description() {
        return """
                Apply a patch to files of the workspace. Format:
                *** Begin Patch
                *** Add File: path        (then every line prefixed with +)
                *** Delete File: path
                *** Update File: path
                *** Move to: new/path     (optional, right after Update File)
                @@ optional line naming the place
                 context line
                -removed line
                +added line
                *** End of File           (optional: the hunk ends the file)
                *** End Patch
                All changes apply or none does.""";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    /** A file the patch touches: what it held before (null: absent) and what it will hold (null: absent). */
    private static final class Change {
        final String path;
        final byte[] before;
        byte[] after;

        Change(String path, byte[] before) {
            this.path = path;
            this.before = before;
            this.after = before;
        }
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        String input = args.required("input");
        WorkspaceFs fs = FileTools.workspace(context, context.services().config().tools().files().applyPatchConfined());
        List<Patch.Op> ops;
        try {
            ops = Patch.parse(input);
        } catch (IllegalArgumentException e) {
            return ToolOutput.error(e.getMessage());
        }
        Map<String, Change> changes = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        String current = null;
        try {
            for (Patch.Op op : ops) {
                current = op.path();
                switch (op) {
                    case Patch.Add add -> {
                        Change change = change(fs, changes, add.path());
                        if (change.after != null) throw refuse("*** Add File: " + add.path(), fs.display(add.path())
                                + " already exists (delete it earlier in the same patch to replace it)");
                        change.after = FileTools.utf8(add.content());
                        summary.add("A " + change.path);
                    }
                    case Patch.Delete delete -> {
                        Change change = change(fs, changes, delete.path());
                        if (change.after == null) throw refuse("*** Delete File: " + delete.path(), "no such file: " + fs.display(delete.path()));
                        change.after = null;
                        summary.add("D " + change.path);
                    }
                    case Patch.Update update -> {
                        Change change = change(fs, changes, update.path());
                        if (change.after == null) throw refuse("*** Update File: " + update.path(), "no such file: " + fs.display(update.path())
                                + FileTools.suggestions(fs, update.path()));
                        String text = FileTools.decode(change.after, change.path);
                        byte[] updated = FileTools.utf8(Patch.apply(text, update.hunks(), change.path));
                        if (update.moveTo() != null && !fs.display(update.moveTo()).equals(change.path)) {
                            current = update.moveTo();
                            Change target = change(fs, changes, update.moveTo());
                            if (target.after != null) throw refuse("*** Move to: " + update.moveTo(), target.path
                                    + " already exists (delete it earlier in the same patch to replace it)");
                            target.after = updated;
                            change.after = null;
                            summary.add("R " + change.path + " -> " + target.path);
                        } else {
                            change.after = updated;
                            summary.add("M " + change.path);
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return ToolOutput.error(e.getMessage());
        } catch (IOException e) {
            ToolOutput failed = FileTools.failure(name(), "input", current, e, null);
            return ToolOutput.error(failed.text() + "; nothing was changed");
        }
        try {
            commit(fs, changes);
        } catch (IOException e) {
            return ToolOutput.error(e.getMessage());
        }
        return ToolOutput.ok("Applied the patch:\n" + String.join("\n", summary));
    }

    private static IllegalArgumentException refuse(String header, String message) {
        return new IllegalArgumentException("apply_patch: \"input\": " + header + ": " + message + "; nothing was changed");
    }

    /** The pending change of {@code path}, first read from the workspace when the patch has not touched it yet. */
    private static Change change(WorkspaceFs fs, Map<String, Change> changes, String path) throws IOException {
        String key = fs.display(path);
        Change change = changes.get(key);
        if (change != null) return change;
        Optional<FileInfo> info = fs.stat(path);
        byte[] before = null;
        if (info.isPresent()) {
            if (info.get().isDirectory()) throw new java.nio.file.FileSystemException(key, null, "is a directory");
            if (info.get().size() > FileTools.MAX_EDIT_BYTES) {
                throw new java.nio.file.FileSystemException(key, null, "is larger than 16 MiB, too large for apply_patch");
            }
            try (InputStream in = fs.openRead(path)) {
                before = in.readAllBytes();
            }
        }
        change = new Change(key, before);
        changes.put(key, change);
        return change;
    }

    /** Writes every change; when one fails, puts back those written before it and says so. */
    private static void commit(WorkspaceFs fs, Map<String, Change> changes) throws IOException {
        List<Change> done = new ArrayList<>();
        for (Change change : changes.values()) {
            if (Arrays.equals(change.before, change.after)) continue;
            try {
                if (change.after == null) fs.delete(change.path);
                else fs.write(change.path, change.after);
                done.add(change);
            } catch (IOException e) {
                List<String> notRestored = new ArrayList<>();
                for (Change back : done.reversed()) {
                    try {
                        if (back.before == null) fs.delete(back.path);
                        else fs.write(back.path, back.before);
                    } catch (IOException again) {
                        notRestored.add(back.path);
                    }
                }
                ToolOutput failed = FileTools.failure("apply_patch", "input", change.path, e, null);
                throw new IOException(failed.text() + (done.isEmpty() ? "; nothing was changed"
                        : notRestored.isEmpty() ? "; the files changed before it were restored"
                        : "; could not restore " + String.join(", ", notRestored)));
            }
        }
    }
}
