package dev.jclaw.config;

import java.util.List;

/**
 * The file tools' reach: {@code tools.fs} and {@code tools.exec.applyPatch}.
 *
 * @param workspaceOnly {@code tools.fs.workspaceOnly}: read, write, edit, apply_patch and ls stay inside
 *                      the agent's workspace, links included. JClaw defaults to true (OpenClaw: false)
 * @param applyPatch    {@code tools.exec.applyPatch}
 */
public record FileToolsConfig(boolean workspaceOnly, ApplyPatch applyPatch) {
    public static final FileToolsConfig DEFAULT = new FileToolsConfig(true, ApplyPatch.DEFAULT);

    /**
     * {@code tools.exec.applyPatch}.
     *
     * @param enabled       whether apply_patch is offered at all (default true)
     * @param workspaceOnly apply_patch stays inside the workspace even when {@code tools.fs.workspaceOnly} is off (default true)
     * @param allowModels   model ids ({@code gpt-5.4}) or refs ({@code openai/gpt-5.4}) that may use it; null = every model
     */
    public record ApplyPatch(boolean enabled, boolean workspaceOnly, List<String> allowModels) {
        public static final ApplyPatch DEFAULT = new ApplyPatch(true, true, null);

        public ApplyPatch {
            allowModels = allowModels == null ? null : List.copyOf(allowModels);
        }

        /** Whether a run on {@code model} may use apply_patch; a null model (not known yet) passes. */
        public boolean allows(ModelRef model) {
            if (!enabled) return false;
            if (allowModels == null || model == null) return true;
            for (String allowed : allowModels) {
                if (allowed.equalsIgnoreCase(model.toString()) || allowed.equalsIgnoreCase(model.model())) return true;
            }
            return false;
        }
    }

    /** Whether apply_patch is confined: either setting confines it (OpenClaw's rule). */
    public boolean applyPatchConfined() {
        return workspaceOnly || applyPatch.workspaceOnly();
    }
}
