package org.eventstream.orders.messaging;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Header;
import org.apache.camel.Variable;

/**
 * Failures on purpose, for tests and demos; off unless {@code faults.enabled=true}. A message carrying the header
 * {@code x-fault-injection: poison} always fails, so it ends in its dead-letter queue; and a bundle listed in
 * {@code faults.transient-rates} (e.g. {@code payment=0.2}) fails that share of its deliveries at random. A transient
 * failure is one that clears: the same message fails at most {@link #MAX_TRANSIENT_FAILURES} times, so the consumer's
 * retry (more attempts than that) always recovers it.
 */
public class FaultInjection {

    public static final String HEADER = "x-fault-injection";
    public static final String POISON = "poison";
    public static final int MAX_TRANSIENT_FAILURES = 2;
    private static final int REMEMBERED_MESSAGES = 10_000;

    private final boolean enabled;
    private final Map<String, Double> transientRates;
    private final AtomicLong poisonFailures = new AtomicLong();
    private final AtomicLong transientFailures = new AtomicLong();
    /** Transient failures per message id, for the most recent ones. */
    private final Map<String, Integer> failedMessages = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED_MESSAGES;
        }
    };

    public FaultInjection(boolean enabled, String transientRates) {
        this.enabled = enabled;
        this.transientRates = parse(transientRates);
    }

    static Map<String, Double> parse(String spec) {
        Map<String, Double> rates = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return rates;
        }
        for (String entry : spec.split(",")) {
            String[] pair = entry.trim().split("=");
            double rate = pair.length == 2 ? Double.parseDouble(pair[1].trim()) : -1;
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("faults.transient-rates entries are <bundle>=<rate 0..1>, not '" + entry + "'");
            }
            rates.put(pair[0].trim(), rate);
        }
        return rates;
    }

    /** Thrown for an injected failure: by its name, never mistaken for a real one. */
    public static final class InjectedFailure extends RuntimeException {
        public InjectedFailure(String message) {
            super(message);
        }
    }

    public void check(@Variable("bundle") String bundle, @Header(HEADER) String marker, @Header(Events.MESSAGE_ID) String messageId) {
        if (!enabled) {
            return;
        }
        if (POISON.equals(marker)) {
            poisonFailures.incrementAndGet();
            throw new InjectedFailure("poison message (" + HEADER + ": " + POISON + ")");
        }
        double rate = transientRates.getOrDefault(bundle, 0.0);
        if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate && failsAgain(bundle + ":" + messageId)) {
            transientFailures.incrementAndGet();
            throw new InjectedFailure("transient failure injected in " + bundle + " at rate " + rate);
        }
    }

    private synchronized boolean failsAgain(String delivery) {
        int failures = failedMessages.getOrDefault(delivery, 0);
        if (failures >= MAX_TRANSIENT_FAILURES) {
            return false;
        }
        failedMessages.put(delivery, failures + 1);
        return true;
    }

    /** Deliveries failed for a poison marker so far: each attempt of the retry counts. */
    public long poisonFailures() {
        return poisonFailures.get();
    }

    public long transientFailures() {
        return transientFailures.get();
    }
}
