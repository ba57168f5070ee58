/**
 * The config: reading {@code openclaw.json} unchanged, and JClaw's additions.
 *
 * <ul>
 *   <li>{@link dev.jclaw.config.ConfigLocation}: which file; writes the default on first run.</li>
 *   <li>{@link dev.jclaw.config.ConfigLoader}: file to {@link dev.jclaw.config.ConfigResult}, a
 *       {@link dev.jclaw.config.JClawConfig} with warnings or every error with its JSON path.</li>
 *   <li>{@link dev.jclaw.config.ConfigWatcher}: hot reload that never replaces a running config with
 *       an invalid one.</li>
 *   <li>{@link dev.jclaw.config.JClawConfig} and its records: the typed, immutable model; values a log
 *       must not show are {@link dev.jclaw.config.Secret}s.</li>
 *   <li>{@link dev.jclaw.config.StateDir}: where state lives.</li>
 * </ul>
 * Reading happens in package-private classes: {@code Json5} (syntax), {@code Includes} ({@code $include}),
 * {@code Substitution} ({@code ${VAR}}), {@code ObjectReader} (typed fields, unknown keys, paths) and the
 * binders ({@code ConfigBinder}, {@code AgentsBinder}, {@code ProvidersBinder}, {@code McpBinder}).
 * See docs/CONFIG.md.
 */
package dev.jclaw.config;
