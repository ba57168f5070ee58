/**
 * Model providers: one streamed model turn with retries and fallbacks.
 *
 * <ul>
 *   <li>{@link dev.jclaw.provider.ModelClient}: what the agent loop calls; {@link dev.jclaw.provider.Providers}
 *       is the implementation for a config ({@link dev.jclaw.provider.RetryPolicy} sets how hard it tries).</li>
 *   <li>{@link dev.jclaw.provider.ChatRequest}, {@link dev.jclaw.provider.ChatMessage},
 *       {@link dev.jclaw.provider.ToolSpec} in; {@link dev.jclaw.provider.ChatResult} with
 *       {@link dev.jclaw.provider.ToolCall}s out; {@link dev.jclaw.provider.ChatListener} for deltas;
 *       {@link dev.jclaw.provider.ProviderException} when no model answered.</li>
 * </ul>
 * Package-private: {@code Endpoints} (config and well-known providers to an {@code Endpoint}),
 * {@code ModelFactory} (LangChain4j models), {@code Conversation} (message mapping),
 * {@code ToolSchemas} (schemas passed through exactly), {@code HttpTransport} and {@code Exchange}
 * (the cancellable HTTP under every model), {@code Attempt} (one try and how it ended).
 * See docs/ARCHITECTURE.md, section Providers, and docs/CONFIG.md for {@code models.providers}.
 */
package dev.jclaw.provider;
