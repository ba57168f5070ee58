package dev.jclaw.tools;

import dev.jclaw.config.AgentConfig;
import dev.jclaw.config.FileToolsConfig;
import dev.jclaw.workspace.FileInfo;
import dev.jclaw.workspace.PathRefusedException;
import dev.jclaw.workspace.WorkspaceFs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** What the file tools share: the agent's workspace, text decoding, and errors a model can act on. */
final class FileTools {
    /** Files larger than this are not loaded whole (edit, apply_patch). */
    static final int MAX_EDIT_BYTES = 16 * 1024 * 1024;
    /** Bytes inspected for a NUL to tell a binary file. */
    static final int SNIFF_BYTES = 8192;

    private FileTools() {}

    /** The calling agent's workspace, confined as {@code tools.fs.workspaceOnly} says (or {@code alsoConfined}). */
    static WorkspaceFs workspace(ToolContext context, boolean alsoConfined) {
        FileToolsConfig files = context.services().config().tools().files();
        AgentConfig agent = context.services().config().agent(context.agentId())
                .orElseThrow(() -> new IllegalStateException("agent '" + context.agentId() + "' is no longer configured"));
        return WorkspaceFs.host(agent.workspace(), files.workspaceOnly() || alsoConfined);
    }

    /** The whole file as UTF-8 text, or an exception naming why it is not text. */
    static String readText(WorkspaceFs fs, String path, String argument) throws IOException {
        byte[] bytes;
        try (InputStream in = fs.openRead(path)) {
            bytes = in.readNBytes(MAX_EDIT_BYTES + 1);
        }
        if (bytes.length > MAX_EDIT_BYTES) {
            throw new FileSystemException(fs.display(path), null, "is larger than " + MAX_EDIT_BYTES / (1024 * 1024) + " MiB, too large to edit whole");
        }
        return decode(bytes, fs.display(path));
    }

    static String decode(byte[] bytes, String shown) throws IOException {
        if (looksBinary(bytes, Math.min(bytes.length, SNIFF_BYTES))) throw binary(shown, bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FileSystemException(shown, null, "is not UTF-8 text; the file tools read and edit text only");
        }
    }

    static boolean looksBinary(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) if (bytes[i] == 0) return true;
        return false;
    }

    static FileSystemException binary(String shown, byte[] head) {
        return new FileSystemException(shown, null, "is a binary file (" + kindOf(head)
                + "); the file tools read and edit text only");
    }

    /** A guess at a binary file's kind from its first bytes, for the message. */
    private static String kindOf(byte[] head) {
        if (startsWith(head, 0x89, 'P', 'N', 'G')) return "PNG image";
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) return "JPEG image";
        if (startsWith(head, 'G', 'I', 'F', '8')) return "GIF image";
        if (startsWith(head, '%', 'P', 'D', 'F')) return "PDF document";
        if (startsWith(head, 'P', 'K', 3, 4)) return "ZIP archive";
        if (startsWith(head, 0x7F, 'E', 'L', 'F')) return "ELF executable";
        if (startsWith(head, 0x1F, 0x8B)) return "gzip data";
        return "NUL bytes in its first " + Math.min(head.length, SNIFF_BYTES) + " bytes";
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if ((bytes[i] & 0xFF) != (prefix[i] & 0xFF)) return false;
        return true;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A failed file operation as the model should read it: the tool, the argument, what is wrong, and
     * for a missing file the names nearby that it may have meant.
     */
    static ToolOutput failure(String tool, String argument, String path, IOException e, WorkspaceFs fs) {
        String message = switch (e) {
            case PathRefusedException refused -> refused.getMessage();
            case NoSuchFileException missing -> "no such file: " + shown(fs, path, missing.getFile()) + suggestions(fs, path);
            case NotDirectoryException notDir -> notDir.getFile() + " is not a directory";
            case FileAlreadyExistsException exists -> exists.getFile() + " already exists";
            case FileSystemException other -> other.getFile() + (other.getReason() != null ? " " + other.getReason() : ": " + other.getMessage());
            default -> e.getMessage();
        };
        return ToolOutput.error(tool + ": \"" + argument + "\": " + message);
    }

    private static String shown(WorkspaceFs fs, String path, String fallback) {
        try {
            return fs == null || path == null ? fallback : fs.display(path);
        } catch (PathRefusedException e) {
            return fallback;
        }
    }

    /** Up to five entries near {@code path}'s name in its directory, as "; did you mean …?". */
    static String suggestions(WorkspaceFs fs, String path) {
        if (fs == null || path == null) return "";
        String normalised = path.replace('\\', '/');
        int slash = normalised.lastIndexOf('/');
        String directory = slash < 0 ? "." : slash == 0 ? "/" : normalised.substring(0, slash);
        String name = normalised.substring(slash + 1).toLowerCase(Locale.ROOT);
        List<FileInfo> entries;
        try {
            entries = fs.list(directory);
        } catch (IOException e) {
            return " (its directory " + directory + " does not exist either)";
        }
        record Near(String name, int score) {}
        List<Near> near = new ArrayList<>();
        for (FileInfo entry : entries) {
            String candidate = entry.name().toLowerCase(Locale.ROOT);
            int distance = editDistance(name, candidate);
            boolean related = distance <= Math.max(2, name.length() / 3) || candidate.startsWith(stem(name)) && !stem(name).isEmpty()
                    || candidate.contains(name) || name.contains(candidate) && candidate.length() > 2;
            if (related) near.add(new Near(entry.name() + (entry.isDirectory() ? "/" : ""), distance));
        }
        if (near.isEmpty()) return "";
        near.sort(Comparator.comparingInt(Near::score).thenComparing(Near::name));
        String prefix = directory.equals(".") ? "" : directory.endsWith("/") ? directory : directory + "/";
        return "; did you mean " + String.join(", ", near.stream().limit(5).map(n -> prefix + n.name()).toList()) + "?";
    }

    private static String stem(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static int editDistance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 8) return Integer.MAX_VALUE / 2;
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(previous[j - 1] + cost, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A JSON-schema property, for the tools' schemas. */
    static java.util.Map<String, Object> property(String type, String description) {
        return java.util.Map.of("type", type, "description", description);
    }
}
