package dev.jclaw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenClaw's device identity, signed here with the JDK's own Ed25519 exactly as the capture describes
 * (raw key base64url, id = SHA-256 of it, v3 payload), independent of the gateway's verifier.
 */
class DeviceIdentityTest extends GatewayTestSupport {
    private static final String NO_AUTH = """
            { agents: { list: [ { id: "a", default: true } ] }, gateway: { auth: { mode: "none" } } }
            """;

    /** A device key and the connect params it signs. */
    static final class Device {
        final KeyPair keys;
        final byte[] raw;
        final String id;

        Device() throws Exception {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] der = keys.getPublic().getEncoded();
            raw = Arrays.copyOfRange(der, der.length - 32, der.length);
            id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        }

        String publicKey() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        }

        String sign(String payload) throws Exception {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(payload.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        }

        /** Connect params signed v3 over (clientId cli, mode cli, role operator, scopes, signedAt, token, nonce, linux, Linux). */
        ObjectNode connect(String nonce, long signedAt, String token, String signedNonce, String deviceId) throws Exception {
            List<String> scopes = List.of("operator.read", "operator.write");
            String payload = String.join("|", "v3", deviceId, "cli", "cli", "operator", String.join(",", scopes), Long.toString(signedAt),
                    token == null ? "" : token, signedNonce, "linux", "linux");
            ObjectNode params = WsProbe.JSON.createObjectNode();
            params.put("minProtocol", 4).put("maxProtocol", 4);
            params.putObject("client").put("id", "cli").put("version", "2026.9.6").put("platform", "linux").put("deviceFamily", "Linux")
                    .put("mode", "cli");
            params.put("role", "operator");
            params.putArray("scopes").add("operator.read").add("operator.write");
            if (token != null) params.putObject("auth").put("token", token);
            params.putObject("device").put("id", deviceId).put("publicKey", publicKey()).put("signature", sign(payload))
                    .put("signedAt", signedAt).put("nonce", nonce);
            return params;
        }
    }

    private JsonNode connectSigned(Device device, long skewMillis, boolean wrongNonce, boolean wrongId, String token) throws Exception {
        try (WsProbe probe = WsProbe.open(ws())) {
            String nonce = probe.next().path("payload").path("nonce").asText();
            long signedAt = System.currentTimeMillis() + skewMillis;
            String signedNonce = wrongNonce ? "another-nonce" : nonce;
            ObjectNode params = device.connect(signedNonce, signedAt, token, signedNonce, wrongId ? "0".repeat(64) : device.id);
            JsonNode answer = probe.call("connect", params);
            if (!answer.path("ok").asBoolean()) assertThat(probe.awaitClose()).isEqualTo(1008);
            return answer;
        }
    }

    @Test
    void aValidSignatureIsAcceptedAndEarnsADeviceToken() throws Exception {
        start(NO_AUTH, o -> o);
        Device device = new Device();
        JsonNode hello = connectSigned(device, 0, false, false, null);
        assertThat(hello.path("ok").asBoolean()).as(hello.toString()).isTrue();
        assertThat(hello.path("payload").path("auth").path("deviceToken").asText()).startsWith("jdt1.");
        assertThat(hello.path("payload").path("auth").path("scopes")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("operator.read", "operator.write");
    }

    @Test
    void eachBrokenPartOfTheIdentityIsRefusedWithItsOwnCode() throws Exception {
        start(NO_AUTH, o -> o);
        Device device = new Device();
        assertThat(connectSigned(device, 0, true, false, null).path("error").path("details").path("code").asText())
                .isEqualTo("DEVICE_AUTH_NONCE_MISMATCH");
        assertThat(connectSigned(device, -300_000, false, false, null).path("error").path("details").path("code").asText())
                .isEqualTo("DEVICE_AUTH_SIGNATURE_EXPIRED");
        assertThat(connectSigned(device, 0, false, true, null).path("error").path("details").path("code").asText())
                .isEqualTo("DEVICE_AUTH_DEVICE_ID_MISMATCH");
        try (WsProbe probe = WsProbe.open(ws())) {
            String nonce = probe.next().path("payload").path("nonce").asText();
            ObjectNode params = device.connect(nonce, System.currentTimeMillis(), null, nonce, device.id);
            ((ObjectNode) params.get("client")).put("platform", "darwin"); // signed as linux: the payload no longer matches
            JsonNode answer = probe.call("connect", params);
            assertThat(answer.path("error").path("details").path("code").asText()).isEqualTo("DEVICE_AUTH_SIGNATURE_INVALID");
            assertThat(answer.path("error").path("message").asText()).isEqualTo("device signature invalid");
        }
    }

    @Test
    void aV2SignatureIsAcceptedAsOpenClawsFallback() throws Exception {
        start(NO_AUTH, o -> o);
        Device device = new Device();
        try (WsProbe probe = WsProbe.open(ws())) {
            String nonce = probe.next().path("payload").path("nonce").asText();
            long signedAt = System.currentTimeMillis();
            ObjectNode params = device.connect(nonce, signedAt, null, nonce, device.id);
            String v2 = String.join("|", "v2", device.id, "cli", "cli", "operator", "operator.read,operator.write", Long.toString(signedAt), "", nonce);
            ((ObjectNode) params.get("device")).put("signature", device.sign(v2));
            assertThat(probe.call("connect", params).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void withTokenAuthTheDeviceTokenOfASignedDeviceStandsInForTheSharedToken() throws Exception {
        start();
        Device device = new Device();
        JsonNode first = connectSigned(device, 0, false, false, TOKEN);
        assertThat(first.path("ok").asBoolean()).as(first.toString()).isTrue();
        String deviceToken = first.path("payload").path("auth").path("deviceToken").asText();

        try (WsProbe probe = WsProbe.open(ws())) {
            String nonce = probe.next().path("payload").path("nonce").asText();
            long signedAt = System.currentTimeMillis();
            ObjectNode params = device.connect(nonce, signedAt, deviceToken, nonce, device.id);
            ((ObjectNode) params.get("auth")).remove("token");
            ((ObjectNode) params.get("auth")).put("deviceToken", deviceToken);
            JsonNode hello = probe.call("connect", params);
            assertThat(hello.path("ok").asBoolean()).as(hello.toString()).isTrue();
            assertThat(hello.path("payload").path("auth").path("method").asText()).isEqualTo("device-token");
        }
        Device stranger = new Device();
        try (WsProbe probe = WsProbe.open(ws())) {
            String nonce = probe.next().path("payload").path("nonce").asText();
            ObjectNode params = stranger.connect(nonce, System.currentTimeMillis(), deviceToken, nonce, stranger.id);
            ((ObjectNode) params.get("auth")).remove("token");
            ((ObjectNode) params.get("auth")).put("deviceToken", deviceToken);
            JsonNode refused = probe.call("connect", params);
            assertThat(refused.path("ok").asBoolean()).as("another device's token is worthless").isFalse();
            assertThat(probe.awaitClose()).isEqualTo(1008);
        }
    }
}
