package dev.jclaw.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON mapper of the gateway and the three frame shapes of the protocol. Event frames are
 * assembled from a payload serialised once per broadcast, so a broadcast to many connections costs
 * one serialisation, not one per connection.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code {type:"res", id, ok:true, payload}}. */
    static String ok(String id, Object payload) {
        // Written straight to text: every answer comes here, and a tree of the payload first would double the work.
        return "{\"type\":\"res\",\"id\":" + quote(id) + ",\"ok\":true,\"payload\":" + write(payload) + "}";
    }

    /** {@code {type:"res", id, ok:false, error:{code, message, details?, retryable?}}}; a null id is written as null. */
    static String error(String id, GatewayError error) {
        return error(id, error, null);
    }

    /** The same, with a payload beside the error (OpenClaw sends one with some failed finals). */
    static String error(String id, GatewayError error, Object payload) {
        ObjectNode frame = object();
        frame.put("type", "res");
        frame.put("id", id);
        frame.put("ok", false);
        if (payload != null) frame.set("payload", MAPPER.valueToTree(payload));
        ObjectNode e = frame.putObject("error");
        e.put("code", error.code());
        e.put("message", error.getMessage());
        if (error.details() != null) e.set("details", MAPPER.valueToTree(error.details()));
        if (error.retryable()) e.put("retryable", true);
        return frame.toString();
    }

    /** {@code {type:"event", event, payload, seq}} around an already serialised payload; seq null for none. */
    static String event(String event, String payloadJson, Long seq) {
        return event(eventHead(event, payloadJson), seq);
    }

    /** An event frame but its seq and closing brace: made once for a broadcast, finished per connection. */
    static String eventHead(String event, String payloadJson) {
        return "{\"type\":\"event\",\"event\":" + quote(event) + ",\"payload\":" + payloadJson;
    }

    static String event(String head, Long seq) {
        return seq == null ? head + "}" : head + ",\"seq\":" + seq + "}";
    }

    static String quote(String text) {
        return write(text);
    }

    /** A small ordered map for payloads: {@code map("a", 1, "b", 2)}; null values are left out. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
