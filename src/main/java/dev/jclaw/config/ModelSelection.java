package dev.jclaw.config;

import java.util.List;

/** The model an agent runs, and the ones tried in order when it fails ({@code {primary, fallbacks[]}}). */
public record ModelSelection(ModelRef primary, List<ModelRef> fallbacks) {
    public ModelSelection {
        fallbacks = List.copyOf(fallbacks);
    }
}
