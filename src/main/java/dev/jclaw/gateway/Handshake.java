package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jclaw.config.GatewayConfig;
import dev.jclaw.gateway.Params.Kind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code connect} request: its params, the protocol version both sides speak, the device
 * identity when the client signs, then the shared secret. Each refusal carries OpenClaw's code,
 * message and details, and the close code its clients expect (1002 for a protocol mismatch, 1008
 * for everything else).
 */
final class Handshake {
    static final int MIN_PROTOCOL = 3;
    static final int MAX_PROTOCOL = 4;
    /** Client ids and modes OpenClaw's schema allows. */
    static final Set<String> CLIENT_IDS = Set.of("webchat-ui", "openclaw-control-ui", "openclaw-browser-copilot", "openclaw-tui", "webchat",
            "cli", "gateway-client", "openclaw-macos", "openclaw-linux", "openclaw-ios", "openclaw-watchos", "openclaw-android",
            "node-host", "openclaw-worker", "test", "fingerprint", "openclaw-probe");
    static final Set<String> CLIENT_MODES = Set.of("webchat", "cli", "ui", "backend", "node", "worker", "probe", "test");

    private static final Params CONNECT = Params.of("connect")
            .required("minProtocol", Kind.INTEGER_MIN1).required("maxProtocol", Kind.INTEGER_MIN1).required("client", Kind.OBJECT)
            .optional("caps", Kind.STRING_ARRAY).optional("role", Kind.NON_EMPTY_STRING).optional("scopes", Kind.STRING_ARRAY)
            .optional("device", Kind.OBJECT).optional("auth", Kind.OBJECT)
            .accepts("commands", "computerUse", "workerRuns", "permissions", "pathEnv", "modelCatalog", "locale", "userAgent");
    private static final Params CLIENT = Params.nested("connect", "/client")
            .required("id", Kind.NON_EMPTY_STRING).required("version", Kind.NON_EMPTY_STRING).required("platform", Kind.NON_EMPTY_STRING)
            .required("mode", Kind.NON_EMPTY_STRING).optional("displayName", Kind.NON_EMPTY_STRING).optional("deviceFamily", Kind.NON_EMPTY_STRING)
            .optional("instanceId", Kind.NON_EMPTY_STRING).accepts("buildId", "modelIdentifier", "timeZone");
    private static final Params DEVICE = Params.nested("connect", "/device")
            .required("id", Kind.NON_EMPTY_STRING).required("publicKey", Kind.NON_EMPTY_STRING).required("signature", Kind.NON_EMPTY_STRING)
            .required("signedAt", Kind.INTEGER_MIN0).required("nonce", Kind.NON_EMPTY_STRING);
    private static final Params AUTH = Params.nested("connect", "/auth")
            .optional("token", Kind.STRING).optional("password", Kind.STRING).optional("deviceToken", Kind.STRING)
            .optional("bootstrapToken", Kind.STRING).accepts("approvalRuntimeToken", "agentRuntimeIdentityToken");

    /** The client is refused: the error answers its connect, then the connection closes with {@code closeCode}. */
    static final class Rejected extends Exception {
        final GatewayError error;
        final int closeCode;

        Rejected(GatewayError error, int closeCode) {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.closeCode = closeCode;
        }
    }

    private final GatewayConfig.AuthMode mode;
    private final byte[] secretDigest;
    private final DeviceIdentity devices;

    Handshake(GatewayOptions options, DeviceIdentity devices) {
        this.mode = options.authMode();
        this.secretDigest = options.secret() == null ? null : digest(options.secret().reveal());
        this.devices = devices;
    }

    String authMode() {
        return mode.toString();
    }

    /** Checks a connect request against the nonce this connection's challenge issued. */
    Peer accept(JsonNode rawParams, String connId, String nonce, String remoteAddress) throws Rejected {
        ObjectNode params;
        ObjectNode client;
        try {
            params = CONNECT.check(rawParams);
            client = CLIENT.check(params.get("client"));
        } catch (GatewayError e) {
            throw new Rejected(e, 1008);
        }
        String clientId = client.get("id").asText();
        String clientMode = client.get("mode").asText();
        if (!CLIENT_IDS.contains(clientId)) {
            throw new Rejected(GatewayError.invalid("invalid connect params: at /client/id: must be one of " + sorted(CLIENT_IDS)
                    + ", got \"" + clientId + "\""), 1008);
        }
        if (!CLIENT_MODES.contains(clientMode)) {
            throw new Rejected(GatewayError.invalid("invalid connect params: at /client/mode: must be one of " + sorted(CLIENT_MODES)
                    + ", got \"" + clientMode + "\""), 1008);
        }
        int min = params.get("minProtocol").asInt();
        int max = params.get("maxProtocol").asInt();
        int protocol = Math.min(max, MAX_PROTOCOL);
        if (protocol < Math.max(min, MIN_PROTOCOL)) {
            throw new Rejected(GatewayError.invalid("protocol mismatch", Json.map("code", "PROTOCOL_MISMATCH", "clientMinProtocol", min,
                    "clientMaxProtocol", max, "expectedProtocol", MAX_PROTOCOL, "minimumProtocol", MIN_PROTOCOL)), 1002);
        }
        String role = params.has("role") ? params.get("role").asText() : "operator";
        if (!role.equals("operator")) {
            throw new Rejected(GatewayError.invalid("role \"" + role + "\" is not supported: JClaw serves operator clients only"), 1008);
        }
        List<String> requested = new ArrayList<>();
        if (params.has("scopes")) params.get("scopes").forEach(s -> requested.add(s.asText()));
        ObjectNode auth;
        try {
            auth = params.has("auth") ? AUTH.check(params.get("auth")) : Json.object();
        } catch (GatewayError e) {
            throw new Rejected(e, 1008);
        }
        String token = Params.string(auth, "token");
        String deviceTokenSent = Params.string(auth, "deviceToken");

        DeviceIdentity.Verified device = null;
        if (params.has("device")) {
            ObjectNode d;
            try {
                d = DEVICE.check(params.get("device"));
            } catch (GatewayError e) {
                throw new Rejected(e, 1008);
            }
            String signedToken = token != null ? token : deviceTokenSent != null ? deviceTokenSent : Params.string(auth, "bootstrapToken");
            DeviceIdentity.Claim claim = new DeviceIdentity.Claim(d.get("id").asText(), d.get("publicKey").asText(),
                    d.get("signature").asText(), d.get("signedAt").asLong(), d.get("nonce").asText(), clientId, clientMode, role, requested,
                    signedToken == null ? "" : signedToken, Params.string(client, "platform"), Params.string(client, "deviceFamily"));
            try {
                device = devices.verify(claim, nonce, System.currentTimeMillis());
            } catch (DeviceIdentity.Rejected e) {
                throw new Rejected(GatewayError.invalid(e.getMessage(), Json.map("code", e.detailCode, "reason", e.reason)), 1008);
            }
        }

        String method = authenticate(auth, device, role);
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : requested) if (Peer.KNOWN_SCOPES.contains(scope.strip())) scopes.add(scope.strip());
        String issued = device == null ? null : devices.deviceToken(device.deviceId(), role);
        return new Peer(connId, clientId, clientMode, client.get("version").asText(), Params.string(client, "displayName"),
                Params.string(client, "platform"), Params.string(client, "instanceId"), role, Set.copyOf(scopes), protocol, method,
                device == null ? null : device.deviceId(), issued, remoteAddress, System.currentTimeMillis());
    }

    /** The shared secret, or a device token beside a verified signature; returns the method that succeeded. */
    private String authenticate(ObjectNode auth, DeviceIdentity.Verified device, String role) throws Rejected {
        if (mode == GatewayConfig.AuthMode.NONE) return "none";
        String field = mode == GatewayConfig.AuthMode.TOKEN ? "token" : "password";
        String presented = Params.string(auth, field);
        if (presented != null && matches(presented)) return field;
        String deviceToken = Params.string(auth, "deviceToken");
        if (presented == null && device != null && devices.acceptsDeviceToken(device, role, deviceToken)) return "device-token";
        String upper = field.toUpperCase();
        boolean missing = presented == null || presented.isEmpty();
        String message = "unauthorized: gateway " + field + (missing ? " missing" : " mismatch") + " (the client must send the gateway's "
                + field + ": set gateway.auth." + field + " or JCLAW_GATEWAY_" + upper + " / OPENCLAW_GATEWAY_" + upper + " where it runs)";
        Map<String, Object> details = Json.map("code", "AUTH_" + upper + (missing ? "_MISSING" : "_MISMATCH"),
                "authReason", field + (missing ? "_missing" : "_mismatch"), "canRetryWithDeviceToken", false,
                "recommendedNextStep", "update_auth_credentials");
        throw new Rejected(GatewayError.invalid(message, details), 1008);
    }

    /** Constant-time comparison of digests, so neither content nor length leaks through timing. */
    boolean matches(String presented) {
        return secretDigest != null && MessageDigest.isEqual(secretDigest, digest(presented));
    }

    private static byte[] digest(String text) {
        return DeviceIdentity.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
