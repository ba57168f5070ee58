package dev.jclaw.gateway;

import dev.jclaw.gateway.Params.Kind;

/**
 * {@code tools.effective}: what a run of an agent in a session is offered and why each tool is in or
 * out, in OpenClaw's shape ({@code groups} of offered tools, {@code toolAccess} with every tool's
 * status and reasons) plus JClaw's detail (the layers, MCP servers reached, the sandbox decision).
 */
final class ToolMethods {
    private final Gateway gateway;

    ToolMethods(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(Methods methods) {
        methods.add("tools.effective", Peer.READ, Params.of("tools.effective").optional("agentId", Kind.NON_EMPTY_STRING)
                .optional("sessionKey", Kind.NON_EMPTY_STRING), call -> gateway.engine().agents()
                .effectiveTools(Params.trimmed(call.params, "agentId"), Params.trimmed(call.params, "sessionKey")).toWire());
    }

}
