package dev.jclaw.tools;

import dev.jclaw.workspace.FileInfo;
import dev.jclaw.workspace.WorkspaceFs;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code ls}: a directory's entries by name, directories with a trailing {@code /}, links with their
 * target (never followed), files with their size; long listings continue with {@code after}.
 */
final class LsTool implements Tool {
    static final int DEFAULT_LIMIT = 500;
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "path", FileTools.property("string", "Directory to list (default: the workspace)"),
            "after", FileTools.property("string", "List entries after this name (to continue a long listing)"),
            "limit", Map.of("type", "integer", "minimum", 1, "maximum", 2000, "description", "Entries at most (default 500)")),
            "additionalProperties", false);

    @Override
    public String name() {
        return "ls";
    }

    @Override
    public String description() {
        return "List a directory of the workspace: directories end with /, links show their target, files their size.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        String path = args.string("path") == null ? "." : args.string("path");
        String after = args.string("after");
        int limit = args.integer("limit", DEFAULT_LIMIT, 1, 2000);
        WorkspaceFs fs = FileTools.workspace(context, false);
        try {
            List<FileInfo> entries = fs.list(path);
            StringBuilder out = new StringBuilder();
            int shown = 0;
            String lastShown = null;
            int skipped = 0;
            for (FileInfo entry : entries) {
                if (after != null && entry.name().compareTo(after) <= 0) {
                    skipped++;
                    continue;
                }
                if (shown == limit) break;
                out.append(switch (entry.kind()) {
                    case DIRECTORY -> entry.name() + "/";
                    case SYMLINK -> entry.name() + " -> " + entry.linkTarget();
                    case FILE -> entry.name() + "  (" + entry.size() + " bytes)";
                    case OTHER -> entry.name() + "  (special file)";
                }).append('\n');
                shown++;
                lastShown = entry.name();
            }
            int left = entries.size() - skipped - shown;
            if (entries.isEmpty()) return ToolOutput.ok(fs.display(path) + " is empty.");
            if (left > 0) {
                out.append("[").append(left).append(" more entries. Use after=\"").append(lastShown).append("\" to continue.]");
            } else if (out.length() > 0) {
                out.setLength(out.length() - 1);
            }
            return ToolOutput.ok(out.toString());
        } catch (IOException e) {
            return FileTools.failure(name(), "path", path, e, fs);
        }
    }
}
