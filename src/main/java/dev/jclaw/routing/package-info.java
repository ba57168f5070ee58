/**
 * Session keys and the decisions made from them.
 *
 * <ul>
 *   <li>{@link dev.jclaw.routing.SessionKey}: the key grammar (parse, build, normalise, scope a
 *       request key to an agent).</li>
 *   <li>{@link dev.jclaw.routing.AgentId}: agent-id validation and normalisation.</li>
 *   <li>{@link dev.jclaw.routing.SandboxPolicy}: whether a turn runs sandboxed.</li>
 *   <li>{@link dev.jclaw.routing.TurnOrigin}: where a turn comes from, and the session key sandbox and
 *       tool policy treat it as (a DM folded into the main session is still a DM).</li>
 *   <li>{@link dev.jclaw.routing.DmScope}, {@link dev.jclaw.routing.GroupScope}, {@link dev.jclaw.routing.SessionKind},
 *       {@link dev.jclaw.routing.SandboxMode}: the vocabulary, shared with {@code dev.jclaw.config}.</li>
 * </ul>
 * This package depends on nothing else in JClaw.
 */
package dev.jclaw.routing;
