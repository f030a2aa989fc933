package org.eventstream.orders.observability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Hands each log event to its appenders with the context ECS names, so Elasticsearch correlates logs with traces:
 * {@code trace.id} and {@code span.id} of the OpenTelemetry span active on the logging thread, and the MDC entries
 * renamed by {@link #ECS_NAMES} (Camel's {@code camel.routeId} becomes {@code event.action}: routes are named
 * {@code <bundle>-<verb>-<noun>} for what they do). Entries already under an ECS name ({@code order.id}) pass as they
 * are. Wrap the console appender with it; it must run on the logging thread (no async appender in between).
 */
public class EcsContextAppender extends UnsynchronizedAppenderBase<ILoggingEvent> implements AppenderAttachable<ILoggingEvent> {

    public static final String TRACE_ID = "trace.id";
    public static final String SPAN_ID = "span.id";
    public static final String EVENT_ACTION = "event.action";
    /** MDC name → ECS field name. */
    public static final Map<String, String> ECS_NAMES = Map.of("camel.routeId", EVENT_ACTION);

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();

    @Override
    protected void append(ILoggingEvent event) {
        appenders.appendLoopOnAppenders(withEcsContext(event, Span.current().getSpanContext()));
    }

    static ILoggingEvent withEcsContext(ILoggingEvent event, SpanContext span) {
        Map<String, String> mdc = ecsContext(event.getMDCPropertyMap(), span);
        return (ILoggingEvent) Proxy.newProxyInstance(ILoggingEvent.class.getClassLoader(), new Class<?>[] {ILoggingEvent.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getMDCPropertyMap") || method.getName().equals("getMdc")) {
                        return mdc;
                    }
                    try {
                        return method.invoke(event, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static Map<String, String> ecsContext(Map<String, String> mdc, SpanContext span) {
        Map<String, String> context = new HashMap<>(mdc.size() + 2);
        mdc.forEach((name, value) -> context.put(ECS_NAMES.getOrDefault(name, name), value));
        if (span.isValid()) {
            context.put(TRACE_ID, span.getTraceId());
            context.put(SPAN_ID, span.getSpanId());
        }
        return context;
    }

    @Override
    public void stop() {
        super.stop();
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
