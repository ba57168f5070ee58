package dev.jclaw.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OneLineLayoutTest {
    private final LoggerContext context = new LoggerContext();

    /** The hand-written layout must print what the pattern it replaces printed, byte for byte. */
    @Test
    void printsWhatTheLogbackPatternItReplacesPrints() {
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
        pattern.start();
        OneLineLayout layout = new OneLineLayout();
        layout.setContext(context);
        layout.start();

        Exception nested = new IllegalStateException("outer", new java.io.IOException("inner cause"));
        Object[][] cases = {
                {"dev.jclaw.gateway.Gateway", Level.INFO, "listening on {}", new Object[] {"ws://127.0.0.1:18789"}, null},
                {"org.eclipse.jetty.websocket.core.internal.WebSocketCoreSession", Level.WARN, "slow client cut", null, null},
                {"dev.jclaw.mcp.McpRuntimeManager", Level.ERROR, "server {} crashed", new Object[] {"fs"}, nested},
                {"x", Level.DEBUG, "short", null, null},
                {"a.b.c.d.e.f.g.h.i.j.k.l.m.VeryLongClassNameThatAloneExceedsTheWidth", Level.TRACE, "", null, null},
        };
        long[] times = {0L, 1_700_000_000_123L, 1_700_000_059_999L, 86_399_999L, System.currentTimeMillis()};
        for (Object[] c : cases) {
            for (long time : times) {
                Logger logger = context.getLogger((String) c[0]);
                LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, (Level) c[1], (String) c[2], (Throwable) c[4], (Object[]) c[3]);
                event.setTimeStamp(time);
                assertThat(layout.doLayout(event)).as("%s at %d", c[0], time).isEqualTo(pattern.doLayout(event));
            }
        }
    }

    @Test
    void abbreviatesPackagesFromTheLeftAndNeverTheClassName() {
        assertThat(OneLineLayout.abbreviate("dev.jclaw.gateway.Gateway", 24)).isEqualTo("d.jclaw.gateway.Gateway");
        assertThat(OneLineLayout.abbreviate("dev.jclaw.Main", 24)).isEqualTo("dev.jclaw.Main");
        assertThat(OneLineLayout.abbreviate("org.eclipse.jetty.server.Server", 10)).isEqualTo("o.e.j.s.Server");
    }
}
