package dev.jclaw.session;

import dev.jclaw.routing.SessionKey;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second JVM for crash tests: {@code lock <state>} takes the state dir lock and holds it until stdin
 * closes; {@code append <state> <key>} appends messages of growing size forever, printing each entry
 * id only after {@link SessionStore#append} returned (so every printed id was durable);
 * {@code open <state> <key>} opens the store, creates the session and exits.
 */
public final class StoreChild {
    private StoreChild() {}

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[1]);
        try (StateLock lock = StateLock.acquire(state, "store child")) {
            System.out.println("locked");
            System.out.flush();
            if (args[0].equals("lock")) {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return;
            }
            SessionKey key = SessionKey.parse(args[2]);
            try (SessionStore store = SessionStore.open(lock)) {
                store.getOrCreate(key, NewSession.of(key, "main", state.toString()));
                if (args[0].equals("open")) {
                    System.out.println("opened");
                    return;
                }
                for (int i = 0; ; i++) {
                    String text = ("message " + i + " ").repeat(1 + i % 2_000);
                    TranscriptEntry entry = store.append(key, TranscriptMessage.User.text(text));
                    System.out.println(entry.id());
                    System.out.flush();
                }
            }
        }
    }
}
