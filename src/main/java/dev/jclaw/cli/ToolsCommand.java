package dev.jclaw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jclaw.agent.EffectiveTools;
import dev.jclaw.config.JClawConfig;
import dev.jclaw.config.StateDir;
import dev.jclaw.policy.EffectiveToolPolicy;
import dev.jclaw.session.SessionReader;
import dev.jclaw.session.SessionStore;
import dev.jclaw.tools.BuiltinTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jclaw tools …}: the tool policy as runs see it. */
@Command(name = "tools", mixinStandardHelpOptions = true, description = "Show which tools agents get, and why.",
        subcommands = {ToolsCommand.Effective.class})
final class ToolsCommand {

    @Command(name = "effective", mixinStandardHelpOptions = true,
            description = "The tools a run of an agent (in a session) is offered, and why each tool is in or out. Computed by the"
                    + " function runs use, from the config and the session's row (its model picks the byProvider entry).")
    static final class Effective implements Callable<Integer> {
        @Option(names = "--agent", paramLabel = "ID", description = "The agent (default: the one --session names, else the default agent).")
        String agent;

        @Option(names = "--session", paramLabel = "KEY", description = "The session (default: the agent's main session).")
        String session;

        @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: as the gateway finds it).")
        Path config;

        @Option(names = "--state-dir", paramLabel = "DIR", description = "State dir (default: JCLAW_STATE_DIR, OPENCLAW_STATE_DIR, ~/.jclaw).")
        Path stateDir;

        @Option(names = "--all", description = "Also list the tool names of OpenClaw's groups that JClaw has no tool for yet.")
        boolean all;

        @Option(names = "--json", description = "Print JSON for scripts (the gateway's tools.effective answer).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            JClawConfig loaded = McpCommand.loadConfig(config);
            Path state = stateDir != null ? stateDir.toAbsolutePath().normalize() : StateDir.resolve();
            EffectiveTools effective;
            try (SessionReader sessions = SessionStore.openReadOnly(state)) {
                effective = EffectiveTools.compute(loaded, sessions, new BuiltinTools(), agent, session);
            }
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(effective.toWire()));
                return 0;
            }
            System.out.printf("agent %s, session %s, model %s, profile %s%n", effective.agentId(), effective.sessionKey(),
                    effective.model() == null ? "(none)" : effective.model(), effective.profile());
            System.out.printf("sandboxed: %s (%s)%n", effective.sandbox().sandboxed() ? "yes" : "no", effective.sandbox().reason());
            System.out.println();
            for (EffectiveTools.Row row : effective.tools()) {
                if (!row.available() && !all) continue;
                var d = row.decision();
                System.out.printf("%-3s %-18s %s%s%n", d.allowed() ? "in" : "out", d.tool(), d.reason(),
                        row.available() ? "" : " [JClaw has no such tool yet]");
            }
            if (!effective.servers().isEmpty()) {
                System.out.println();
                for (EffectiveTools.Server s : effective.servers()) {
                    System.out.printf("mcp %-16s %s%n", s.owner() == null ? s.name() : s.name() + " (" + s.owner() + ")", s.reason());
                }
            }
            if (!effective.layers().isEmpty()) {
                System.out.println();
                System.out.println("layers, in order (each can only narrow; deny wins):");
                for (EffectiveToolPolicy.Layer layer : effective.layers()) {
                    System.out.printf("  %s%s%s%n", layer.name(),
                            layer.allow() == null ? "" : " allow " + layer.allow().stream().map(EffectiveToolPolicy.Entry::raw).toList(),
                            layer.deny().isEmpty() ? "" : " deny " + layer.deny().stream().map(EffectiveToolPolicy.Entry::raw).toList());
                }
            }
            for (String notice : effective.notices()) System.out.println("warning: " + notice);
            return 0;
        }
    }
}
