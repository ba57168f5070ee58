/**
 * Which tools a run may use, decided in one place.
 *
 * <ul>
 *   <li>{@link dev.jclaw.policy.ToolCatalog}: OpenClaw's vocabulary: tool groups ({@code group:fs},
 *       {@code group:runtime}, ...) and profiles ({@code minimal}, {@code coding}, {@code messaging},
 *       {@code full}).</li>
 *   <li>{@link dev.jclaw.policy.ToolPolicies#resolve}: the one function that turns the config's layers
 *       (profile, {@code byProvider}, allow/alsoAllow/deny, an agent's own {@code tools}) into an
 *       {@link dev.jclaw.policy.EffectiveToolPolicy}, which decides for every tool, built-in or MCP, and
 *       says why ({@link dev.jclaw.policy.ToolDecision}).</li>
 * </ul>
 * Depends only on {@code dev.jclaw.config}; the MCP layer asks it which servers to start, the tools and
 * agent layers which tools to offer, the gateway and CLI show its answers ({@code tools.effective}).
 */
package dev.jclaw.policy;
