package dev.jclaw.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** An environment for config tests: a private HOME and state dir, plus the variables fixtures use. */
final class TestEnv {
    private TestEnv() {}

    static Map<String, String> of(Path home, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("JCLAW_STATE_DIR", home.resolve("state").toString());
        env.put("GATEWAY_TOKEN", "gw-from-env");
        env.put("MCP_TOKEN", "mcp-secret");
        env.put("MINIMAX_API_KEY", "mm-key");
        env.put("OPENAI_API_KEY", "oa-key");
        env.put("ANTHROPIC_API_KEY", "an-key");
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }
}
