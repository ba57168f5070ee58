package dev.jclaw.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * OpenClaw's device identity: a client may sign its {@code connect} with an Ed25519 key, proving it
 * holds the key whose SHA-256 is its device id. The signed text is
 * {@code v3|id|clientId|clientMode|role|scopes|signedAt|token|nonce|platform|deviceFamily} (v2 without
 * the last two), the nonce being the one this connection's challenge issued, so a signature cannot
 * be replayed on another connection; it must be fresh within {@link #SKEW_MILLIS}.
 * <p>
 * A verified device gets a device token: an HMAC of its id and role under a key kept in the state
 * dir, so it stays valid across restarts without a table of tokens, and is worthless without the
 * device's private key (a device token is accepted only beside a valid signature by that device).
 */
final class DeviceIdentity {
    /** OpenClaw's tolerance between the client's signedAt and the gateway's clock. */
    static final long SKEW_MILLIS = 120_000;
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** A device whose signature checked out. */
    record Verified(String deviceId, String publicKey) {}

    /** The signature was refused: {@code reason} is OpenClaw's, {@code detailCode} its DEVICE_AUTH_* code. */
    static final class Rejected extends Exception {
        final String reason;
        final String detailCode;

        Rejected(String reason, String detailCode, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.detailCode = detailCode;
        }
    }

    /** What the client signed over, from its connect params. */
    record Claim(String id, String publicKey, String signature, long signedAt, String nonce, String clientId, String clientMode,
                 String role, List<String> scopes, String token, String platform, String deviceFamily) {}

    private final byte[] tokenKey;

    private DeviceIdentity(byte[] tokenKey) {
        this.tokenKey = tokenKey;
    }

    /** Loads (or makes, readable by the owner only) the device-token key in {@code <state>/identity/}. */
    static DeviceIdentity open(Path stateDir) {
        Path file = stateDir.resolve("identity").resolve("device-token.key");
        try {
            if (Files.isRegularFile(file)) {
                byte[] key = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
                if (key.length >= 32) return new DeviceIdentity(key);
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "device-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new DeviceIdentity(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot read or write the device-token key " + file, e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Checks, in OpenClaw's order: id = SHA-256(key), freshness, nonce, then the v3 and v2 signatures. */
    Verified verify(Claim claim, String issuedNonce, long nowMillis) throws Rejected {
        byte[] raw = rawKey(claim.publicKey());
        if (raw == null) throw new Rejected("device-public-key", "DEVICE_AUTH_PUBLIC_KEY_INVALID", "device public key invalid");
        if (!HexFormat.of().formatHex(sha256(raw)).equals(claim.id().toLowerCase(Locale.ROOT))) {
            throw new Rejected("device-id-mismatch", "DEVICE_AUTH_DEVICE_ID_MISMATCH", "device identity mismatch");
        }
        if (Math.abs(nowMillis - claim.signedAt()) > SKEW_MILLIS) {
            throw new Rejected("device-signature-stale", "DEVICE_AUTH_SIGNATURE_EXPIRED", "device signature expired");
        }
        String nonce = claim.nonce() == null ? "" : claim.nonce().strip();
        if (nonce.isEmpty()) throw new Rejected("device-nonce-missing", "DEVICE_AUTH_NONCE_REQUIRED", "device nonce required");
        if (!nonce.equals(issuedNonce)) throw new Rejected("device-nonce-mismatch", "DEVICE_AUTH_NONCE_MISMATCH", "device nonce mismatch");
        byte[] signature = decode(claim.signature());
        String base = claim.id() + "|" + claim.clientId() + "|" + claim.clientMode() + "|" + claim.role() + "|"
                + String.join(",", claim.scopes()) + "|" + claim.signedAt() + "|" + claim.token() + "|" + nonce;
        String v3 = "v3|" + base + "|" + normalize(claim.platform()) + "|" + normalize(claim.deviceFamily());
        if (signature == null || !(verifies(raw, v3, signature) || verifies(raw, "v2|" + base, signature))) {
            throw new Rejected("device-signature", "DEVICE_AUTH_SIGNATURE_INVALID", "device signature invalid");
        }
        return new Verified(claim.id().toLowerCase(Locale.ROOT), Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }

    /** The device token for a verified device in a role. */
    String deviceToken(String deviceId, String role) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(tokenKey, "HmacSHA256"));
            byte[] tag = mac.doFinal((deviceId + "|" + role).getBytes(StandardCharsets.UTF_8));
            return "jdt1." + Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code token} is the device token of this (verified) device in this role; constant time. */
    boolean acceptsDeviceToken(Verified device, String role, String token) {
        return token != null && MessageDigest.isEqual(deviceToken(device.deviceId(), role).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** OpenClaw's normalisation of platform and deviceFamily: trimmed, ASCII A-Z lowercased, missing = "". */
    static String normalize(String value) {
        if (value == null) return "";
        StringBuilder out = new StringBuilder(value.strip());
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c >= 'A' && c <= 'Z') out.setCharAt(i, (char) (c + 32));
        }
        return out.toString();
    }

    /** The raw 32-byte key from base64url/base64 of the raw key or its SPKI DER, or PEM; null when it is none of those. */
    static byte[] rawKey(String publicKey) {
        if (publicKey == null) return null;
        String text = publicKey.strip();
        if (text.startsWith("-----BEGIN")) {
            text = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        }
        byte[] bytes = decode(text);
        if (bytes == null) return null;
        if (bytes.length == 32) return bytes;
        if (bytes.length == 44 && java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 12), SPKI_PREFIX)) {
            return java.util.Arrays.copyOfRange(bytes, 12, 44);
        }
        return null;
    }

    private static byte[] decode(String text) {
        if (text == null) return null;
        try {
            return Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean verifies(byte[] raw, String payload, byte[] signature) {
        try {
            byte[] der = new byte[44];
            System.arraycopy(SPKI_PREFIX, 0, der, 0, 12);
            System.arraycopy(raw, 0, der, 12, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
