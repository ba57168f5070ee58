package dev.jclaw.cli;

import dev.jclaw.config.ConfigLoader;
import dev.jclaw.config.ConfigLocation;
import dev.jclaw.config.ConfigProblem;
import dev.jclaw.config.ConfigResult;
import dev.jclaw.config.JClawConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jclaw config validate|show}: check a config file, or print the config in effect. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check or print the configuration.",
        subcommands = {ConfigCommand.Validate.class, ConfigCommand.Show.class})
final class ConfigCommand {

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a config file: every error with its JSON path, then warnings. Exit 1 when invalid.")
    static final class Validate implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "PATH",
                description = "Config file (default: JCLAW_CONFIG, OPENCLAW_CONFIG_PATH, <state>/jclaw.json).")
        Path path;

        @Option(names = "--json", description = "Print {file, valid, errors[{path, message}], warnings[...], ...} for scripts.")
        boolean json;

        @Override
        public Integer call() {
            Path file = ConfigLocation.resolve(path, System.getenv());
            ConfigResult result = ConfigLoader.load(file);
            if (json) return printJson(file, result);
            return switch (result) {
                case ConfigResult.Invalid invalid -> {
                    System.err.printf("%s is invalid (%d error%s):%n", file, invalid.errors().size(), invalid.errors().size() == 1 ? "" : "s");
                    print(invalid.errors(), System.err);
                    printWarnings(invalid.warnings());
                    yield 1;
                }
                case ConfigResult.Valid valid -> {
                    JClawConfig c = valid.config();
                    System.out.printf("%s is valid: %d agent%s (default: %s), %d MCP server%s, %d provider%s%n", file,
                            c.agents().size(), c.agents().size() == 1 ? "" : "s", c.defaultAgentId() == null ? "none" : c.defaultAgentId(),
                            c.mcp().servers().size(), c.mcp().servers().size() == 1 ? "" : "s",
                            c.providers().size(), c.providers().size() == 1 ? "" : "s");
                    printWarnings(valid.warnings());
                    yield 0;
                }
            };
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the config in effect, defaults applied, as JSON with secrets redacted.")
    static final class Show implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "PATH", description = "Config file (default: JCLAW_CONFIG, OPENCLAW_CONFIG_PATH, <state>/jclaw.json).")
        Path config;

        @Override
        public Integer call() {
            Path file = ConfigLocation.resolve(config, System.getenv());
            ConfigResult result = ConfigLoader.load(file);
            if (result instanceof ConfigResult.Invalid invalid) {
                System.err.printf("%s is invalid; run `jclaw config validate %s`:%n", file, file);
                print(invalid.errors(), System.err);
                return 1;
            }
            System.out.println(result.orElseThrow().toRedactedJson());
            printWarnings(result.warnings());
            return 0;
        }
    }

    private static int printJson(Path file, ConfigResult result) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode out = mapper.createObjectNode();
        out.put("file", file.toString());
        out.put("valid", result instanceof ConfigResult.Valid);
        List<ConfigProblem> errors = result instanceof ConfigResult.Invalid invalid ? invalid.errors() : List.of();
        com.fasterxml.jackson.databind.node.ArrayNode errorList = out.putArray("errors");
        errors.forEach(e -> errorList.addObject().put("path", e.path()).put("message", e.message()));
        com.fasterxml.jackson.databind.node.ArrayNode warningList = out.putArray("warnings");
        result.warnings().forEach(w -> warningList.addObject().put("path", w.path()).put("message", w.message()));
        if (result instanceof ConfigResult.Valid valid) {
            JClawConfig c = valid.config();
            out.put("agents", c.agents().size());
            out.put("defaultAgent", c.defaultAgentId());
            out.put("mcpServers", c.mcp().servers().size());
            out.put("providers", c.providers().size());
        }
        System.out.println(out.toPrettyString());
        return errors.isEmpty() ? 0 : 1;
    }

    private static void printWarnings(List<ConfigProblem> warnings) {
        if (warnings.isEmpty()) return;
        System.err.printf("%d warning%s:%n", warnings.size(), warnings.size() == 1 ? "" : "s");
        print(warnings, System.err);
    }

    private static void print(List<ConfigProblem> problems, PrintStream out) {
        for (ConfigProblem problem : problems) out.println("  " + problem);
    }
}
