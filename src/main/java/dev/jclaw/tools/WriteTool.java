package dev.jclaw.tools;

import dev.jclaw.workspace.WorkspaceFs;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code write}: creates or replaces a file (parents created), atomically: the old content or the new, never half. */
final class WriteTool implements Tool {
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "path", FileTools.property("string", "File to write, relative to the workspace or absolute"),
            "content", FileTools.property("string", "The whole new content")),
            "required", List.of("path", "content"), "additionalProperties", false);

    @Override
    public String name() {
        return "write";
    }

    @Override
    public String description() {
        return "Create or overwrite a file of the workspace with `content` (missing directories are created). "
                + "Use edit or apply_patch to change part of a file.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        String path = args.required("path");
        String content = args.requiredText("content");
        WorkspaceFs fs = FileTools.workspace(context, false);
        try {
            boolean existed = fs.stat(path).isPresent();
            byte[] bytes = FileTools.utf8(content);
            fs.write(path, bytes);
            long lines = content.isEmpty() ? 0 : content.chars().filter(c -> c == '\n').count() + (content.endsWith("\n") ? 0 : 1);
            return ToolOutput.ok((existed ? "Replaced " : "Created ") + fs.display(path) + ": " + bytes.length + " bytes, " + lines + " lines.");
        } catch (IOException e) {
            return FileTools.failure(name(), "path", path, e, null);
        }
    }
}
