package dev.jclaw.mcp;

import dev.jclaw.config.McpServerConfig.Transport;
import dev.jclaw.process.ChildSpec;
import dev.jclaw.process.Cohort;
import dev.jclaw.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Remote servers through the SDK's Streamable HTTP and legacy SSE transports: the real everything server. */
class RemoteTransportTest extends McpTestSupport {

    @ParameterizedTest
    @CsvSource({"streamableHttp, STREAMABLE_HTTP, /mcp", "sse, SSE, /sse"})
    void aRemoteServerIsListedAndCalled(String mode, Transport transport, String path) throws Exception {
        manager();
        int port = freePort();
        try (Cohort server = supervisor.openCohort("remote-everything")) {
            server.spawn(ChildSpec.of("everything-" + mode, Fixtures.npxServer("mcp-server-everything", mode))
                    .withCwd(Fixtures.npmFixtures())
                    .withEnv(Map.of("PORT", Integer.toString(port), "npm_config_update_notifier", "false",
                            "NODE_OPTIONS", "--require " + Fixtures.resource("fixtures/bind-loopback.cjs"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
            McpServerSpec spec = new McpServerSpec("remote", transport, null, null, null,
                    URI.create("http://127.0.0.1:" + port + path), Map.of("X-Test", "jclaw"), null, null, null, null, null);

            try (McpLease lease = lease("main", "s", spec)) {
                assertThat(lease.failures()).isEmpty();
                assertThat(lease.tools()).extracting(McpTool::exposedName).contains("remote__echo");
                assertThat(text(call(lease, "remote__echo", Map.of("message", "over " + mode)))).isEqualTo("Echo: over " + mode);
            }
            assertThat(manager.liveProcesses()).as("remote servers are not processes of ours").isZero();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
