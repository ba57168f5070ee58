package dev.jclaw.cli;

import dev.jclaw.config.StateDir;
import dev.jclaw.session.OpenClawImport;
import dev.jclaw.session.SessionStore;
import dev.jclaw.session.StateLock;
import dev.jclaw.session.StateLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jclaw import-openclaw}: bring an OpenClaw state dir's sessions into JClaw's store. */
@Command(name = "import-openclaw", mixinStandardHelpOptions = true,
        description = "Import sessions (sessions.json + JSONL transcripts) from an OpenClaw state dir. "
                + "The source is only read; running it again adds only what is new. Needs the gateway stopped.")
final class ImportOpenClawCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "DIR", description = "OpenClaw state dir (default: ~/.openclaw).")
    Path from;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "JClaw state dir (default: JCLAW_STATE_DIR, OPENCLAW_STATE_DIR, ~/.jclaw).")
    Path stateDir;

    @Option(names = "--json", description = "Print {source, stateDir, agents, imported, alreadyPresent, transcriptsCopied, warnings[]} for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Path source = (from != null ? from : StateDir.home(System.getenv()).resolve(".openclaw")).toAbsolutePath().normalize();
        Path target = stateDir != null ? stateDir.toAbsolutePath().normalize() : StateDir.resolve();
        if (!Files.isDirectory(source.resolve("agents"))) {
            System.err.printf("%s is not an OpenClaw state dir (no agents/ folder); pass --from%n", source);
            return 2;
        }
        OpenClawImport.Report report;
        try (StateLock lock = StateLock.acquire(target, "import-openclaw"); SessionStore store = SessionStore.open(lock)) {
            report = OpenClawImport.run(source, store);
        } catch (StateLockedException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode out = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            out.put("source", source.toString()).put("stateDir", target.toString()).put("agents", report.agents())
                    .put("imported", report.imported()).put("alreadyPresent", report.alreadyPresent())
                    .put("transcriptsCopied", report.transcriptsCopied());
            com.fasterxml.jackson.databind.node.ArrayNode warnings = out.putArray("warnings");
            report.warnings().forEach(warnings::add);
            System.out.println(out.toPrettyString());
            return 0;
        }
        System.out.printf("Imported %d session%s from %d agent%s of %s into %s (%d transcript%s copied, %d already present).%n",
                report.imported(), report.imported() == 1 ? "" : "s", report.agents(), report.agents() == 1 ? "" : "s",
                source, target, report.transcriptsCopied(), report.transcriptsCopied() == 1 ? "" : "s", report.alreadyPresent());
        if (!report.warnings().isEmpty()) {
            System.err.printf("%d warning%s:%n", report.warnings().size(), report.warnings().size() == 1 ? "" : "s");
            report.warnings().forEach(w -> System.err.println("  " + w));
        }
        Path config = source.resolve("openclaw.json");
        if (Files.exists(config)) {
            System.out.printf("JClaw reads your config unchanged: export JCLAW_CONFIG=%s (check it with `jclaw config validate %s`).%n", config, config);
        }
        return 0;
    }
}
