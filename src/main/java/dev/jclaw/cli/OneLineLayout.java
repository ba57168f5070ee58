package dev.jclaw.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

import java.util.TimeZone;

/**
 * One log line: {@code HH:mm:ss.SSS LEVEL abbreviated.Logger - message}, then the stack trace if any.
 * The same text as the pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n}, written by
 * hand because logback's pattern machinery (parser, converters, colour support, date formatting)
 * is some 150 classes that every gateway start would load and keep.
 */
final class OneLineLayout extends LayoutBase<ILoggingEvent> {
    static final int LOGGER_WIDTH = 24;

    private final TimeZone zone = TimeZone.getDefault();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(96);
        long millis = event.getTimeStamp();
        long ofDay = Math.floorMod(millis + zone.getOffset(millis), 86_400_000L);
        two(line, ofDay / 3_600_000).append(':');
        two(line, ofDay / 60_000 % 60).append(':');
        two(line, ofDay / 1000 % 60).append('.');
        long ms = ofDay % 1000;
        line.append(ms < 100 ? (ms < 10 ? "00" : "0") : "").append(ms).append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append(abbreviate(event.getLoggerName(), LOGGER_WIDTH)).append(" - ").append(event.getFormattedMessage());
        line.append(System.lineSeparator());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) line.append(ThrowableProxyUtil.asString(thrown));
        return line.toString();
    }

    private static StringBuilder two(StringBuilder line, long value) {
        return line.append(value < 10 ? "0" : "").append(value);
    }

    /**
     * Shortens package segments to their first letter, leftmost first, until the name fits; the
     * class name itself is never cut (as logback's {@code %logger{n}} does).
     */
    static String abbreviate(String name, int width) {
        if (name.length() <= width) return name;
        String[] parts = name.split("\\.");
        int length = name.length();
        for (int i = 0; i < parts.length - 1 && length > width; i++) {
            length -= parts[i].length() - 1;
            parts[i] = parts[i].substring(0, Math.min(1, parts[i].length()));
        }
        return String.join(".", parts);
    }
}
