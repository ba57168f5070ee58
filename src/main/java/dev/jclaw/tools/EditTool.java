package dev.jclaw.tools;

import dev.jclaw.workspace.WorkspaceFs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code edit}: exact replacements in one file. Every {@code oldText} must occur exactly once in the
 * file as it was before the call, the replaced spans must not overlap, and either every edit is
 * applied (one atomic write) or none is. A CRLF file is matched and written back as CRLF, a BOM kept.
 */
final class EditTool implements Tool {
    private static final Map<String, Object> EDIT = Map.of("type", "object", "properties", Map.of(
            "oldText", FileTools.property("string", "Text to replace: exactly as in the file, occurring once"),
            "newText", FileTools.property("string", "Its replacement")), "required", List.of("oldText", "newText"),
            "additionalProperties", false);
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "path", FileTools.property("string", "File to edit, relative to the workspace or absolute"),
            "edits", Map.of("type", "array", "minItems", 1, "items", EDIT,
                    "description", "Replacements, each matched against the original file; they must not overlap")),
            "required", List.of("path", "edits"), "additionalProperties", false);

    @Override
    public String name() {
        return "edit";
    }

    @Override
    public String description() {
        return "Edit a file by exact replacement: each edits[].oldText must occur exactly once in the file; "
                + "all edits apply together or none does.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return SCHEMA;
    }

    record Edit(String oldText, String newText) {}

    @Override
    public ToolOutput call(ToolContext context, Map<String, Object> arguments) {
        Args args = new Args(name(), arguments);
        String path = args.required("path");
        List<Edit> edits = edits(args);
        WorkspaceFs fs = FileTools.workspace(context, false);
        try {
            String original = FileTools.readText(fs, path, "path");
            Result result = apply(original, edits, fs.display(path));
            fs.write(path, FileTools.utf8(result.text()));
            return ToolOutput.ok("Edited " + fs.display(path) + ": " + result.summary());
        } catch (IOException e) {
            return FileTools.failure(name(), "path", path, e, fs);
        } catch (IllegalArgumentException e) {
            return ToolOutput.error(e.getMessage());
        }
    }

    /** {@code edits[]}, or OpenClaw's older single {@code oldText}/{@code newText} pair. */
    private static List<Edit> edits(Args args) {
        List<Map<String, Object>> items = args.objects("edits");
        if (items == null) {
            if (args.has("oldText")) return List.of(new Edit(args.requiredText("oldText"), args.requiredText("newText")));
            throw new IllegalArgumentException("edit: \"edits\" is required: [{\"oldText\": …, \"newText\": …}]");
        }
        if (items.isEmpty()) throw new IllegalArgumentException("edit: \"edits\" is empty; give at least one {oldText, newText}");
        List<Edit> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "edits[" + i + "].";
            Object oldText = items.get(i).get("oldText");
            Object newText = items.get(i).get("newText");
            if (!(oldText instanceof String o)) throw new IllegalArgumentException("edit: \"" + at + "oldText\" " + (oldText == null ? "is required" : "must be a string"));
            if (!(newText instanceof String n)) throw new IllegalArgumentException("edit: \"" + at + "newText\" " + (newText == null ? "is required" : "must be a string"));
            if (o.isEmpty()) throw new IllegalArgumentException("edit: \"" + at + "oldText\" is empty; to create or replace a whole file use write");
            for (String key : items.get(i).keySet()) {
                if (!key.equals("oldText") && !key.equals("newText")) throw new IllegalArgumentException("edit: \"" + at + key + "\" is not an edit field (oldText, newText)");
            }
            out.add(new Edit(o, n));
        }
        return out;
    }

    record Result(String text, String summary) {}

    /** The file with every edit applied, or an exception naming the edit that cannot be. */
    static Result apply(String original, List<Edit> edits, String shown) {
        boolean bom = original.startsWith("\uFEFF");
        String body = bom ? original.substring(1) : original;
        boolean crlf = body.contains("\r\n") && edits.stream().noneMatch(e -> e.oldText().contains("\r"));
        String text = crlf ? body.replace("\r\n", "\n") : body;
        record Span(int index, int start, int end, String replacement) {}
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            String oldText = crlf ? edits.get(i).oldText().replace("\r\n", "\n") : edits.get(i).oldText();
            String newText = crlf ? edits.get(i).newText().replace("\r\n", "\n") : edits.get(i).newText();
            List<Integer> at = occurrences(text, oldText);
            if (at.isEmpty()) {
                throw new IllegalArgumentException("edit: \"edits[" + i + "].oldText\" does not occur in " + shown + nearMiss(text, oldText)
                        + "; nothing was changed");
            }
            if (at.size() > 1) {
                List<String> lines = at.stream().limit(5).map(p -> String.valueOf(lineOf(text, p))).toList();
                throw new IllegalArgumentException("edit: \"edits[" + i + "].oldText\" occurs " + at.size() + " times in " + shown
                        + " (lines " + String.join(", ", lines) + (at.size() > 5 ? ", …" : "")
                        + "); include more surrounding text so it occurs once; nothing was changed");
            }
            spans.add(new Span(i, at.getFirst(), at.getFirst() + oldText.length(), newText));
        }
        List<Span> ordered = new ArrayList<>(spans);
        ordered.sort(Comparator.comparingInt(Span::start));
        for (int i = 1; i < ordered.size(); i++) {
            Span before = ordered.get(i - 1);
            Span after = ordered.get(i);
            if (after.start() < before.end()) {
                throw new IllegalArgumentException("edit: \"edits[" + before.index() + "]\" and \"edits[" + after.index()
                        + "]\" overlap (both change line " + lineOf(text, after.start()) + "); merge them into one edit; nothing was changed");
            }
        }
        StringBuilder out = new StringBuilder(text.length());
        int position = 0;
        List<String> where = new ArrayList<>();
        for (Span span : ordered) {
            out.append(text, position, span.start()).append(span.replacement());
            position = span.end();
        }
        out.append(text, position, text.length());
        for (Span span : spans) where.add("edits[" + span.index() + "] at line " + lineOf(text, span.start()));
        String result = crlf ? out.toString().replace("\n", "\r\n") : out.toString();
        return new Result((bom ? "\uFEFF" : "") + result, spans.size() + (spans.size() == 1 ? " edit" : " edits") + " (" + String.join(", ", where) + ").");
    }

    private static List<Integer> occurrences(String text, String needle) {
        List<Integer> out = new ArrayList<>();
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) out.add(at);
        return out;
    }

    static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** A hint when the text occurs with other whitespace: "(it does at line N with different whitespace)". */
    private static String nearMiss(String text, String oldText) {
        String wanted = squash(oldText);
        if (wanted.isEmpty()) return "";
        String[] lines = text.split("\n", -1);
        String firstWanted = squash(oldText.split("\n", -1)[0]);
        for (int i = 0; i < lines.length; i++) {
            if (firstWanted.isEmpty() || !squash(lines[i]).contains(firstWanted)) continue;
            StringBuilder window = new StringBuilder();
            for (int j = i; j < lines.length && window.length() < wanted.length() * 2 + 16; j++) window.append(squash(lines[j]));
            if (window.toString().contains(wanted)) return " (it does at line " + (i + 1) + " with different whitespace; copy the text exactly)";
        }
        return "";
    }

    private static String squash(String s) {
        return s.replaceAll("\\s+", "");
    }
}
