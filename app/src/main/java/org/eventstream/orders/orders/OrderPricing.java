package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.eventstream.orders.http.Problem;
import org.eventstream.orders.http.ProblemException;
import org.eventstream.orders.messaging.Traceparent;

/**
 * Both ends of the statement that places an order (routes/orders-api/orders.camel.yaml): in one round trip it prices
 * the requested lines from the catalog and, only when the customer and every product exist (and a one-line
 * {@code total_amount} agrees with the catalog's prices), writes the order, its lines, its timeline entry and its
 * {@code order.created} event. Prices never come from the client. A refused order is 422, naming each field at fault.
 */
public class OrderPricing {

    private final ObjectMapper mapper = new ObjectMapper();

    /** The statement's parameters ({@link NewOrder#params}) for a validated request. */
    public NewOrder order(@Variable("request") OrderRequest request, @Header("Idempotency-Key") String idempotencyKey,
                          @Header("traceparent") String traceparent) {
        List<Map<String, Object>> items = new ArrayList<>(request.lines().size());
        for (OrderRequest.Line line : request.lines()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("product_id", line.productId().toString());
            item.put("quantity", line.quantity());
            items.add(item);
        }
        return new NewOrder(UUID.randomUUID(), request.customerId(), request.currency(), json(items), request.expectedTotal(),
                idempotencyKey, request.fingerprint(), OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS),
                UUID.randomUUID(), json(Map.of("traceparent", Traceparent.forOutbox(traceparent))));
    }

    /**
     * @param answer the statement's one row: {@code document}, the placed order's document, or {@code refusal} (JSON:
     *               {@code customer_found}, {@code unknown_lines}, the 0-based lines whose product is not in the
     *               catalog, and {@code total}, the catalog's price of the lines it found)
     * @return the placed order's document
     * @throws ProblemException 422 when the order was refused
     */
    public String placed(@Body Map<String, Object> answer, @Variable("request") OrderRequest request) throws JsonProcessingException {
        Object document = answer.get("document");
        if (document != null) {
            return document.toString();
        }
        Object refusal = answer.get("refusal");
        if (refusal == null) {
            throw new IllegalStateException("the order statement answered neither a document nor a refusal: " + answer);
        }
        JsonNode why = mapper.readTree(refusal.toString());
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!why.path("customer_found").asBoolean()) {
            errors.add(new Problem.FieldError("customer_id", "no customer with id '" + request.customerId() + "'"));
        }
        for (JsonNode index : why.path("unknown_lines")) {
            int line = index.asInt();
            String field = request.oneLineForm() ? "product_id" : "items[" + line + "].product_id";
            errors.add(new Problem.FieldError(field, "no product with id '" + request.lines().get(line).productId() + "'"));
        }
        if (errors.isEmpty() && request.expectedTotal() != null) {
            errors.add(new Problem.FieldError("total_amount", "is " + request.expectedTotal().toPlainString()
                    + " but the catalog prices the order at " + new BigDecimal(why.path("total").asText()).toPlainString()));
        }
        if (errors.isEmpty()) {
            throw new IllegalStateException("the order statement refused an order for no reason it names: " + refusal);
        }
        throw new ProblemException(Problem.unprocessable(errors));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps, strings and numbers always serialize", e);
        }
    }
}
