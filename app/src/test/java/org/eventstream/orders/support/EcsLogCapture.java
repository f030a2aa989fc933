package org.eventstream.orders.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import co.elastic.logging.logback.EcsEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eventstream.orders.observability.EcsContextAppender;
import org.eventstream.orders.observability.Telemetry;
import org.slf4j.LoggerFactory;

/**
 * The production log pipeline (src/main/resources/logback.xml: EcsContextAppender around an ECS encoder) attached to
 * the root logger beside the tests' plain console, writing into memory; one JSON document per line.
 */
public final class EcsLogCapture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final EcsContextAppender appender = new EcsContextAppender();

    private EcsLogCapture() {
    }

    public static EcsLogCapture start() {
        EcsLogCapture capture = new EcsLogCapture();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        EcsEncoder encoder = new EcsEncoder();
        encoder.setContext(context);
        encoder.setServiceName(Telemetry.DEFAULT_SERVICE_NAME);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> json = new OutputStreamAppender<>();
        json.setContext(context);
        json.setName("ecs-capture-json");
        json.setEncoder(encoder);
        json.setOutputStream(capture.out);
        json.start();
        capture.appender.setContext(context);
        capture.appender.setName("ecs-capture");
        capture.appender.addAppender(json);
        capture.appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture.appender);
        return capture;
    }

    public List<JsonNode> lines() {
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON log line: " + line, e);
                }
            }
        }
        return lines;
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
