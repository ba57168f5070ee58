package dev.jclaw.provider;

import java.util.Map;

/** A tool offered to the model: name, description, and its JSON Schema for the arguments, passed through unchanged. */
public record ToolSpec(String name, String description, Map<String, Object> inputSchema) {}
