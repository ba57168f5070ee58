package dev.jclaw.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state file of live process groups, {@code <run dir>/supervisor-<instance>.json}: enough for a
 * restarted gateway to kill what a crashed one left, and only that. Each group is recorded with its
 * start time from /proc and the boot id, so a recycled pid is never taken for ours. Written
 * atomically (temp file, then rename), off the spawn and stop paths: changes are coalesced into one
 * write on a virtual thread. A crash between a change and its write loses nothing the sweep needs:
 * it also kills every process carrying the dead instance's {@code JCLAW_OWNER}.
 */
final class GroupLedger {
    private static final Logger log = LoggerFactory.getLogger(GroupLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String PREFIX = "supervisor-";

    /** One supervisor's file. */
    record Snapshot(String instanceId, long pid, long pidStartTime, String bootId, List<Group> groups) {}

    /** One child tree: its group id, the leader's start time, and its markers. */
    record Group(int pgid, long startTime, String name, String cohort, String child) {}

    private final Path file;
    private final Snapshot identity;
    private final Map<Integer, Group> groups = new LinkedHashMap<>();
    private final Object writeLock = new Object();
    private boolean writePending; // guarded by this
    private boolean deleted; // guarded by writeLock

    private GroupLedger(Path file, Snapshot identity) {
        this.file = file;
        this.identity = identity;
    }

    /** A ledger for this instance, or a no-op one when {@code runDir} is null. */
    static GroupLedger open(Path runDir, String instanceId) {
        long pid = ProcessHandle.current().pid();
        long start = ProcScan.stat(pid).map(ProcScan.Stat::startTime).orElse(0L);
        Snapshot identity = new Snapshot(instanceId, pid, start, ProcScan.bootId(), List.of());
        GroupLedger ledger = new GroupLedger(runDir == null ? null : runDir.resolve(PREFIX + instanceId + ".json"), identity);
        ledger.write(identity); // at once: a live instance must be known before it starts anything
        return ledger;
    }

    /** Records a new group; never call on the spawner thread (the write starts a virtual thread). */
    synchronized void add(int pgid, String name, String cohort, String child) {
        long start = ProcScan.stat(pgid).map(ProcScan.Stat::startTime).orElse(0L);
        groups.put(pgid, new Group(pgid, start, name, cohort, child));
        scheduleWrite();
    }

    synchronized void remove(int pgid) {
        if (groups.remove(pgid) != null) scheduleWrite();
    }

    /** Deletes the file, and no write comes after: called when every group is gone. */
    void delete() {
        if (file == null) return;
        synchronized (writeLock) {
            deleted = true;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    private void scheduleWrite() {
        if (file == null || writePending) return;
        writePending = true;
        Thread.ofVirtual().name("jclaw-ledger").start(this::flush);
    }

    /** Writes the newest state; writes never overlap, and each takes its snapshot under the write lock. */
    private void flush() {
        synchronized (writeLock) {
            Snapshot snapshot;
            synchronized (this) {
                writePending = false;
                snapshot = new Snapshot(identity.instanceId(), identity.pid(), identity.pidStartTime(), identity.bootId(),
                        new ArrayList<>(groups.values()));
            }
            if (!deleted) write(snapshot);
        }
    }

    private void write(Snapshot snapshot) {
        if (file == null) return;
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), snapshot);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot write the process ledger {}: {} (a crash now would leave its children to the marker sweep)", file, e.toString());
        }
    }

    /**
     * Kills what supervisors that are no longer alive left behind in {@code runDir}: each recorded
     * group whose leader still has its recorded start time, and every process carrying the dead
     * instance's {@code JCLAW_OWNER} marker (escapers). Files of live supervisors are left alone;
     * files from an earlier boot are only deleted.
     */
    static SweepReport sweep(Path runDir, ProcessSupervisor self) {
        List<String> notes = new ArrayList<>();
        int files = 0;
        int killed = 0;
        if (runDir == null || !Files.isDirectory(runDir)) return new SweepReport(0, 0, notes);
        String bootId = ProcScan.bootId();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(runDir, PREFIX + "*.json")) {
            for (Path path : stream) {
                Snapshot dead;
                try {
                    dead = JSON.readValue(path.toFile(), Snapshot.class);
                } catch (IOException e) {
                    notes.add(path.getFileName() + ": unreadable (" + e.getMessage() + "), removed");
                    Files.deleteIfExists(path);
                    continue;
                }
                if (dead.instanceId() == null || dead.instanceId().equals(self.instanceId())) continue;
                if (bootId.equals(dead.bootId()) && isAlive(dead.pid(), dead.pidStartTime())) continue; // a live gateway
                files++;
                if (bootId.equals(dead.bootId())) {
                    killed += sweepOne(dead, self, notes);
                } else {
                    notes.add(dead.instanceId() + ": from an earlier boot, nothing to kill");
                }
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            notes.add("cannot read " + runDir + ": " + e.getMessage());
        }
        return new SweepReport(files, killed, notes);
    }

    private static int sweepOne(Snapshot dead, ProcessSupervisor self, List<String> notes) {
        int killed = 0;
        // One pass over /proc for all the groups: killing one group does not move processes between the others.
        Map<Integer, List<ProcScan.Stat>> byGroup = new HashMap<>();
        for (Group group : dead.groups()) byGroup.put(group.pgid(), new ArrayList<>());
        for (ProcScan.Stat stat : ProcScan.all(s -> byGroup.containsKey(s.pgid()))) byGroup.get(stat.pgid()).add(stat);
        for (Group group : dead.groups()) {
            // Ours if the leader is the recorded one (even as a zombie we adopted) or a live member carries its marker.
            List<ProcScan.Stat> members = byGroup.get(group.pgid());
            boolean ours = members.stream().anyMatch(s -> s.pid() == group.pgid() && s.startTime() == group.startTime())
                    || members.stream().anyMatch(s -> !s.zombie()
                    && dead.instanceId().equals(ProcScan.markers(s.pid()).get(ChildProcess.OWNER_ENV)));
            if (!ours) {
                Reaper.reapGroup(group.pgid(), group.pgid()); // zombies we adopted from it; never a leader we might own
                continue;
            }
            long live = members.stream().filter(s -> !s.zombie()).count();
            if (live > 0) Native.killGroup(group.pgid(), Native.SIGKILL);
            Reaper.awaitGroupGone(group.pgid(), java.time.Duration.ofSeconds(1));
            if (live > 0) {
                killed += (int) live;
                notes.add(dead.instanceId() + ": killed group " + group.pgid() + " ('" + group.name() + "', " + live + " processes)");
            }
        }
        int marked = self.killMarked(ChildProcess.OWNER_ENV, dead.instanceId());
        if (marked > 0) notes.add(dead.instanceId() + ": killed " + marked + " process(es) carrying its marker outside their groups");
        return killed + marked;
    }

    /** Instance ids of the supervisors in {@code runDir} whose process is still alive. */
    static List<String> liveInstances(Path runDir) {
        List<String> live = new ArrayList<>();
        if (runDir == null || !Files.isDirectory(runDir)) return live;
        String bootId = ProcScan.bootId();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(runDir, PREFIX + "*.json")) {
            for (Path path : stream) {
                try {
                    Snapshot s = JSON.readValue(path.toFile(), Snapshot.class);
                    if (bootId.equals(s.bootId()) && isAlive(s.pid(), s.pidStartTime())) live.add(s.instanceId());
                } catch (IOException e) {
                    // unreadable: not a live supervisor's
                }
            }
        } catch (IOException e) {
            // no ledgers readable: report every owner as not alive
        }
        return live;
    }

    private static boolean isAlive(long pid, long startTime) {
        return ProcScan.stat(pid).map(s -> s.startTime() == startTime && !s.zombie()).orElse(false);
    }
}
