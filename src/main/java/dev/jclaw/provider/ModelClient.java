package dev.jclaw.provider;

import dev.jclaw.config.ModelSelection;

import java.time.Duration;

/**
 * What the agent loop asks of providers: run one model turn with streaming, retrying transient
 * failures (429, 5xx, timeouts, connection errors) with backoff, then trying each fallback in order.
 * The call blocks its (virtual) thread; interrupting that thread aborts the turn promptly.
 */
public interface ModelClient {
    /**
     * @param selection the agent's model and fallbacks, or null when none is configured
     * @param timeout   the bound on the whole turn, every attempt included
     * @throws ProviderException when no model answered; its message is fit to show the user
     */
    ChatResult chat(ModelSelection selection, ChatRequest request, ChatListener listener, Duration timeout);
}
