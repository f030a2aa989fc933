package org.eventstream.orders.messaging;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;

/**
 * Turns the payload a consumer decided on into the outbox row of the event it causes.
 * <p>
 * The event id is derived from the consuming bundle, the id of the event that caused it and the new event's type,
 * so processing one delivery twice writes the same row twice, which the outbox's unique event id folds into one.
 * The row carries the W3C {@code traceparent} of the span handling the delivery, so the chain stays one trace.
 */
public class Events {

    public static final String MESSAGE_ID = "CamelSpringRabbitmqMessageId";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param payload the new event's body; {@code event_type} and {@code order_id} are required
     * @return the named parameters of {@code direct:outbox-append}
     */
    public Map<String, Object> emit(@Body Map<String, Object> payload, @Variable("bundle") String bundle,
                                    @Header(MESSAGE_ID) String causeId, @Header("traceparent") String traceparent) {
        String type = required(payload, "event_type");
        String eventId = eventId(bundle, causeId, type);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", eventId);
        body.put("event_type", type);
        Map<String, Object> params = row(payload, body, causeId, traceparent);
        params.put("eventId", eventId);
        params.put("eventType", type);
        return params;
    }

    /**
     * The outbox row of an event whose type the statement writing it decides, from what it reads under its locks
     * (inventory: {@code inventory.reserved} or {@code inventory.rejected}). The statement takes {@code event_id} from
     * {@code eventIds} by the type it chose and adds both, with what else it decided, to {@code payload}.
     *
     * @param payload the new event's body without {@code event_type}; {@code order_id} is required
     * @param types the types the statement chooses from
     * @return {@code eventIds} (a JSON object: type to event id), {@code aggregateType}, {@code aggregateId},
     *     {@code payload} (JSON, without {@code event_id} and {@code event_type}) and {@code headers}
     */
    public Map<String, Object> emitOneOf(Map<String, Object> payload, List<String> types, String bundle, String causeId,
                                         String traceparent) {
        Map<String, String> eventIds = new LinkedHashMap<>();
        types.forEach(type -> eventIds.put(type, eventId(bundle, causeId, type)));
        Map<String, Object> params = row(payload, new LinkedHashMap<>(), causeId, traceparent);
        params.put("eventIds", json(eventIds));
        return params;
    }

    /** Derived from what caused the event, so a replayed delivery names the same event. */
    private static String eventId(String bundle, String causeId, String type) {
        return UUID.nameUUIDFromBytes((bundle + "|" + causeId + "|" + type).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The outbox row's parameters but its event's id and type: {@code body} (what comes first) and then the payload. */
    private static Map<String, Object> row(Map<String, Object> payload, Map<String, Object> body, String causeId,
                                           String traceparent) {
        String orderId = required(payload, "order_id");
        body.put("occurred_at", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).toString());
        body.put("causation_id", causeId);
        payload.forEach(body::putIfAbsent);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("aggregateType", "order");
        params.put("aggregateId", orderId);
        params.put("payload", json(body));
        params.put("headers", json(Map.of("traceparent", Traceparent.forOutbox(traceparent))));
        return params;
    }

    /**
     * The record-with-event template's parameters: the effect's record (its body) and the outbox row of the event in
     * the variable {@code event} ({@link #emit}), in one map. camel-sql finds plain named parameters in a map body;
     * each {@code :#${...}} parameter would cost a copy of the exchange and an evaluation per execution.
     */
    public Map<String, Object> recordWithEvent(@Body Map<String, Object> record, @Variable("event") Map<String, Object> payload,
                                               @Variable("bundle") String bundle, @Header(MESSAGE_ID) String causeId,
                                               @Header("traceparent") String traceparent) {
        Map<String, Object> params = emit(payload, bundle, causeId, traceparent);
        record.forEach((name, value) -> {
            if (params.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("a record's parameter " + name + " would hide the outbox row's");
            }
        });
        return params;
    }

    private static String required(Map<String, Object> payload, String key) {
        Object value = payload.get(key);
        if (value == null) {
            throw new IllegalArgumentException("an event payload needs " + key + ": " + payload);
        }
        return value.toString();
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of maps, strings and numbers always serializes", e);
        }
    }
}
