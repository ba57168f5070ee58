package dev.jclaw.bench;

import dev.jclaw.routing.SessionKey;
import dev.jclaw.session.NewSession;
import dev.jclaw.session.SessionQuery;
import dev.jclaw.session.SessionStore;
import dev.jclaw.session.StateLock;
import dev.jclaw.session.TranscriptMessage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The session store under load, through its public API on a real disk: creating sessions (row plus
 * transcript file with header, both synced), key lookups and listings with {@code sessions} rows in the
 * store, durable transcript appends (one fsync each) from one session and from several at once, and
 * reading back a session's history.
 */
public final class SessionBenchmark {
    private static final int AGENTS = 10;
    /** A typical assistant reply, about 1 KiB. */
    private static final String REPLY = "The build passed and the deploy is rolling out to the second region now. ".repeat(14);

    /** Timings in microseconds; rates per second. */
    public record Result(int sessions, double createsPerSecond, Stats lookup, Stats listRecent, Stats listAgent,
                         int appends, double appendsPerSecond, Stats append, int writers, double concurrentAppendsPerSecond,
                         Stats history, long storeBytes) {}

    private SessionBenchmark() {}

    /**
     * @param dir      an empty folder on the disk to measure (a fresh state dir is made inside it)
     * @param sessions sessions in the store while lookups run
     * @param appends  appends per append phase
     * @param lookups  measured key lookups
     * @param writers  sessions appended to at once in the concurrent phase
     */
    public static Result run(Path dir, int sessions, int appends, int lookups, int writers, PrintStream progress) throws Exception {
        Path state = Files.createDirectories(dir.resolve("bench-state-" + System.nanoTime()));
        try (StateLock lock = StateLock.acquire(state, "bench"); SessionStore store = SessionStore.open(lock)) {
            List<SessionKey> keys = new ArrayList<>(sessions);
            long t0 = System.nanoTime();
            for (int i = 0; i < sessions; i++) {
                SessionKey key = SessionKey.parse("agent:a" + (i % AGENTS) + ":telegram:direct:peer" + i);
                store.getOrCreate(key, NewSession.of(key, "main", "/workspace"));
                keys.add(key);
                if ((i + 1) % 20_000 == 0) progress.printf("  created %d sessions%n", i + 1);
            }
            double createsPerSecond = sessions / seconds(System.nanoTime() - t0);

            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < lookups / 10; i++) store.get(keys.get(random.nextInt(sessions)));
            long[] lookup = new long[lookups];
            for (int i = 0; i < lookups; i++) {
                SessionKey key = keys.get(random.nextInt(sessions));
                long s = System.nanoTime();
                store.get(key).orElseThrow();
                lookup[i] = micros(System.nanoTime() - s);
            }
            progress.printf("  %d lookups done%n", lookups);

            int listings = 500;
            long[] listRecent = new long[listings];
            long[] listAgent = new long[listings];
            for (int i = 0; i < listings; i++) {
                long s = System.nanoTime();
                store.list(SessionQuery.all().limit(50));
                listRecent[i] = micros(System.nanoTime() - s);
                s = System.nanoTime();
                store.list(SessionQuery.all().agent("a" + (i % AGENTS)).limit(50));
                listAgent[i] = micros(System.nanoTime() - s);
            }

            SessionKey single = keys.getFirst();
            long[] append = new long[appends];
            long a0 = System.nanoTime();
            for (int i = 0; i < appends; i++) {
                long s = System.nanoTime();
                store.append(single, i % 2 == 0 ? TranscriptMessage.User.text("status?") : reply());
                append[i] = micros(System.nanoTime() - s);
            }
            double appendsPerSecond = appends / seconds(System.nanoTime() - a0);
            progress.printf("  %d appends to one session done%n", appends);

            double concurrent = concurrentAppends(store, keys.subList(1, 1 + writers), appends);
            progress.printf("  %d appends over %d sessions done%n", appends, writers);

            long[] history = new long[200];
            for (int i = 0; i < history.length; i++) {
                long s = System.nanoTime();
                store.history(single, 50);
                history[i] = micros(System.nanoTime() - s);
            }
            return new Result(sessions, createsPerSecond, Stats.of(lookup), Stats.of(listRecent), Stats.of(listAgent), appends,
                    appendsPerSecond, Stats.of(append), writers, concurrent, Stats.of(history), size(state));
        } finally {
            Scratch.delete(state);
        }
    }

    private static double concurrentAppends(SessionStore store, List<SessionKey> targets, int total) throws Exception {
        int each = total / targets.size();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long s = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (SessionKey key : targets) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) store.append(key, reply());
                }));
            }
            for (Future<?> f : done) f.get();
            return each * targets.size() / seconds(System.nanoTime() - s);
        }
    }

    private static TranscriptMessage reply() {
        return new TranscriptMessage.Assistant(List.of(new TranscriptMessage.Content.Text(REPLY)), "anthropic", "claude-sonnet-4-6",
                new TranscriptMessage.Usage(1200, 250, 0, 0, 1450), "stop");
    }

    /** Prints the results as Markdown. */
    public static void print(Result r, PrintStream out) {
        out.printf("| measurement | result |%n|---|---|%n");
        out.printf("| create session (row + transcript, synced) | %.0f /s |%n", r.createsPerSecond());
        out.printf("| lookup by key, %,d sessions | p50 %d µs, p99 %d µs, max %d µs |%n", r.sessions(), r.lookup().p50(), r.lookup().p99(), r.lookup().max());
        out.printf("| list 50 most recent | p50 %d µs, p99 %d µs |%n", r.listRecent().p50(), r.listRecent().p99());
        out.printf("| list 50 most recent of one agent | p50 %d µs, p99 %d µs |%n", r.listAgent().p50(), r.listAgent().p99());
        out.printf("| append (fsync each), one session | %.0f /s; p50 %d µs, p99 %d µs |%n", r.appendsPerSecond(), r.append().p50(), r.append().p99());
        out.printf("| append (fsync each), %d sessions at once | %.0f /s in total |%n", r.writers(), r.concurrentAppendsPerSecond());
        out.printf("| history, last 50 of %,d entries | p50 %d µs, p99 %d µs |%n", r.appends(), r.history().p50(), r.history().p99());
        out.printf("| state dir size | %.1f MiB |%n", r.storeBytes() / 1024.0 / 1024.0);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long micros(long nanos) {
        return nanos / 1_000;
    }

    private static long size(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
