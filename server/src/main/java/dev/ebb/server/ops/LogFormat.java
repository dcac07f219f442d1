package dev.ebb.server.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code ebb serve} writes its log to stderr: {@code text} (a line per event) or {@code json} (one JSON object per
 * line, logback's own {@code JsonEncoder}, for a log collector). Ebb logs messages that were redacted at their source;
 * nothing here adds a setting's value.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The format {@code --log-format} names. */
    public static LogFormat of(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--log-format must be 'text' or 'json', not '" + name + "'");
        }
    }

    /** Makes the root logger write this format to stderr, at INFO (Jetty at WARN). */
    public void apply() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        context.reset();
        Encoder<ILoggingEvent> encoder = switch (this) {
            case TEXT -> {
                PatternLayoutEncoder pattern = new PatternLayoutEncoder();
                pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} - %msg%n");
                yield pattern;
            }
            case JSON -> {
                JsonEncoder json = new JsonEncoder();
                json.setWithFormattedMessage(true);
                yield json;
            }
        };
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        // Quartz says at INFO how it was configured, every start: nothing an operator acts on.
        context.getLogger("org.quartz").setLevel(Level.WARN);
        // So do the pool, the migrations, the web server and the drivers (as logback.xml says before this applies).
        for (String library : new String[] {"io.javalin", "com.zaxxer.hikari", "org.flywaydb", "org.postgresql",
                "org.duckdb"}) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        // Libraries that log through java.util.logging are bridged, so that they come out in this format too.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
    }
}
