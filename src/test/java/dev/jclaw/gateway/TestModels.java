package dev.jclaw.gateway;

import dev.jclaw.config.ModelSelection;
import dev.jclaw.provider.ChatListener;
import dev.jclaw.provider.ChatMessage;
import dev.jclaw.provider.ChatRequest;
import dev.jclaw.provider.ChatResult;
import dev.jclaw.provider.ModelClient;

import java.time.Duration;
import java.util.List;

/**
 * An in-process model for gateway tests until the provider layer (issue 5) is merged: it answers
 * "echo: <last user message>" in two streamed deltas, or follows a command in the message
 * ({@code sleep:<ms>} waits, honouring interruption as a real provider call must).
 */
final class TestModels {
    private TestModels() {}

    static ModelClient echo() {
        return TestModels::answer;
    }

    static ChatResult answer(ModelSelection selection, ChatRequest request, ChatListener listener, Duration timeout) {
        String last = "";
        for (ChatMessage m : request.messages()) if (m instanceof ChatMessage.User u) last = u.text();
        if (last.startsWith("sleep:")) {
            try {
                Thread.sleep(Long.parseLong(last.substring(6).strip()));
            } catch (InterruptedException e) {
                throw new dev.jclaw.provider.ProviderException(dev.jclaw.provider.ProviderException.Kind.ABORTED, "aborted", List.of());
            }
        }
        String text = "echo: " + last;
        int half = text.length() / 2;
        listener.onTextDelta(text.substring(0, half));
        listener.onTextDelta(text.substring(half));
        String provider = selection == null ? "test" : selection.primary().provider();
        String model = selection == null ? "echo" : selection.primary().model();
        return new ChatResult(text, List.of(), new ChatResult.Usage(3, 5), "stop", provider, model, List.of());
    }
}
