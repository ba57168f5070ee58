package dev.jclaw.gateway;

import java.util.List;
import java.util.Set;

/**
 * A client that completed the handshake: who it says it is, what it may do, which protocol it speaks.
 *
 * @param authMethod how it authenticated: {@code none}, {@code token}, {@code password} or {@code device-token}
 * @param deviceId   its verified device id, or null when it sent no device identity
 * @param deviceToken the device token issued to it, or null
 */
record Peer(String connId, String clientId, String clientMode, String clientVersion, String displayName, String platform,
            String instanceId, String role, Set<String> scopes, int protocol, String authMethod, String deviceId, String deviceToken,
            String remoteAddress, long connectedAt) {
    static final String ADMIN = "operator.admin";
    static final String READ = "operator.read";
    static final String WRITE = "operator.write";
    /** The operator scopes OpenClaw knows; others a client asks for are dropped. */
    static final List<String> KNOWN_SCOPES = List.of(ADMIN, READ, WRITE, "operator.sessions.read", "operator.sessions.write",
            "operator.approvals", "operator.questions", "operator.pairing", "operator.talk", "operator.talk.secrets");

    /** OpenClaw's implications: admin allows everything; write allows read. */
    boolean allows(String scope) {
        if (scope == null || scopes.contains(scope) || scopes.contains(ADMIN)) return true;
        return scopes.contains(WRITE) && (scope.equals(READ) || scope.startsWith("operator.sessions.") || scope.equals("operator.talk"));
    }
}
