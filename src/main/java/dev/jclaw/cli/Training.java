package dev.jclaw.cli;

import dev.jclaw.agent.Engine;
import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.gateway.Gateway;
import dev.jclaw.gateway.GatewayOptions;

import java.io.IOException;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code jclaw gateway run --train}: a gateway on a free port and a scratch state dir that serves the
 * requests a real start does (health over HTTP and WebSocket, status, metrics), then stops. The
 * ./jclaw launcher runs it once per build under {@code -XX:AOTCacheOutput} so the JVM records the
 * classes a start needs into an AOT cache, which later starts map instead of loading and linking.
 */
final class Training {
    private Training() {}

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("jclaw-train");
        try {
            Path config = dir.resolve("jclaw.json");
            StringBuilder agents = new StringBuilder();
            for (int i = 0; i < 9; i++) agents.append(i == 0 ? "" : ", ").append("{ id: \"agent-").append(i).append("\"").append(i == 0 ? ", default: true" : "").append(" }");
            Files.writeString(config, "{ agents: { list: [ " + agents + " ] }, gateway: { auth: { mode: \"token\", token: \"training-token-xyz\" } } }");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("JCLAW_STATE_DIR", dir.resolve("state").toString());
            env.remove("JCLAW_GATEWAY_TOKEN");
            env.remove("OPENCLAW_GATEWAY_TOKEN");
            env.remove("JCLAW_GATEWAY_PORT");
            env.remove("OPENCLAW_GATEWAY_PORT");
            JClawConfig loaded = ConfigLoader.load(config, env).orElseThrow();
            try (Gateway gateway = Gateway.start(GatewayOptions.from(loaded, 0, null),
                    registry -> Engine.start(config, env, loaded, new Engine.Options(Models.factory(registry), registry, false)))) {
                // Plain sockets, not java.net.http: the cache should hold what a gateway loads, not a client's classes.
                // Not /metrics or /v1/models: every class in the cache is loaded at every start, and an idle gateway
                // should not carry the JMX and meter-binder classes of a first scrape (1.3 MiB of RSS).
                for (String path : List.of("/health", "/startupz")) http(gateway.port(), path);
                try (RawWebSocket ws = RawWebSocket.open(gateway.port())) {
                    ws.receive(); // connect.challenge
                    ws.send("{\"type\":\"req\",\"id\":\"1\",\"method\":\"connect\",\"params\":{\"minProtocol\":3,\"maxProtocol\":4,"
                            + "\"client\":{\"id\":\"cli\",\"version\":\"train\",\"platform\":\"linux\",\"mode\":\"cli\"},"
                            + "\"scopes\":[\"operator.admin\"],\"auth\":{\"token\":\"training-token-xyz\"}}}");
                    ws.receiveResponse("1");
                    int id = 2;
                    for (String method : List.of("health", "status", "sessions.list", "models.list", "config.get", "mcp.status", "no.such.method")) {
                        ws.send("{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":{}}");
                        ws.receiveResponse(Integer.toString(id++));
                    }
                    ws.send("not json");
                    ws.receive();
                }
            }
            System.err.println("jclaw: training run done");
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // a scratch dir in tmp
                    }
                });
            }
        }
    }

    private static void http(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer training-token-xyz\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readAllBytes();
        }
    }

    /** Just enough of a WebSocket client for the training run: unfragmented masked text out, text frames in. */
    private static final class RawWebSocket implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private RawWebSocket(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawWebSocket open(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            int matched = 0;
            while (matched < 4) { // through the blank line ending the 101 response
                int b = in.read();
                if (b < 0) throw new IOException("the gateway closed during the upgrade");
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            }
            return new RawWebSocket(socket);
        }

        void send(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
            frame.write(0x81);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xff);
            }
            frame.write(new byte[] {0, 0, 0, 0}); // a zero mask leaves the payload as it is
            frame.write(payload);
            out.write(frame.toByteArray());
        }

        String receive() throws IOException {
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0f;
                long length = in.readUnsignedByte() & 0x7f;
                if (length == 126) length = in.readUnsignedShort();
                else if (length == 127) length = in.readLong();
                byte[] payload = in.readNBytes((int) length);
                if (opcode == 1) return new String(payload, StandardCharsets.UTF_8);
                if (opcode == 8) throw new IOException("the gateway closed the connection");
            }
        }

        void receiveResponse(String id) throws IOException {
            while (!receive().contains("\"id\":\"" + id + "\"")) {
                // events in between
            }
        }

        @Override
        public void close() throws IOException {
            out.write(new byte[] {(byte) 0x88, (byte) 0x80, 0, 0, 0, 0});
            socket.close();
        }
    }
}
