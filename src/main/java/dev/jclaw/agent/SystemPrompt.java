package dev.jclaw.agent;

import dev.jclaw.config.AgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An agent's system prompt: who it is (identity), its workspace's bootstrap files as OpenClaw reads
 * them ({@code AGENTS.md}, {@code SOUL.md}, {@code TOOLS.md}, {@code IDENTITY.md}, {@code USER.md},
 * when present), then the request's extra system prompt.
 */
final class SystemPrompt {
    private static final Logger log = LoggerFactory.getLogger(SystemPrompt.class);
    static final List<String> WORKSPACE_FILES = List.of("AGENTS.md", "SOUL.md", "TOOLS.md", "IDENTITY.md", "USER.md");
    /** A workspace file is cut here: a prompt is not the place for a book. */
    private static final int MAX_FILE_CHARS = 20_000;

    private SystemPrompt() {}

    static String build(AgentConfig agent, String sessionKey, String extra) {
        StringBuilder prompt = new StringBuilder();
        String name = agent.identity() != null && agent.identity().name() != null ? agent.identity().name()
                : agent.name() != null ? agent.name() : agent.id();
        prompt.append("You are ").append(name);
        if (agent.identity() != null && agent.identity().emoji() != null) prompt.append(' ').append(agent.identity().emoji());
        prompt.append(", an AI agent (id \"").append(agent.id()).append("\") running in JClaw. This conversation is session ")
                .append(sessionKey).append(".\n");
        for (String file : WORKSPACE_FILES) {
            String content = read(agent.workspace(), file);
            if (content != null && !content.isBlank()) prompt.append("\n## ").append(file).append("\n\n").append(content.strip()).append('\n');
        }
        if (extra != null && !extra.isBlank()) prompt.append('\n').append(extra.strip()).append('\n');
        return prompt.toString();
    }

    private static String read(Path workspace, String file) {
        if (workspace == null) return null;
        Path path = workspace.resolve(file);
        if (!Files.isRegularFile(path)) return null;
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            return text.length() > MAX_FILE_CHARS ? text.substring(0, MAX_FILE_CHARS) + "\n[… cut at " + MAX_FILE_CHARS + " characters]" : text;
        } catch (IOException e) {
            log.warn("cannot read {} for the system prompt: {}", path, e.toString());
            return null;
        }
    }
}
