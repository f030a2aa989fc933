package org.eventstream.orders.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eventstream.orders.http.Problem;
import org.eventstream.orders.http.ProblemException;

/**
 * Reads a JSON request body field by field and collects every problem, so one response names all
 * offending fields. Strict: duplicate keys, unknown fields, wrong types and trailing content are errors.
 */
public final class JsonRequest {

    private static final int MAX_NESTING_DEPTH = 32;
    private static final int MAX_NUMBER_LENGTH = 40;
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    com.fasterxml.jackson.core.JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(MAX_NESTING_DEPTH)
                                    .maxNumberLength(MAX_NUMBER_LENGTH)
                                    .build())
                            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final List<Problem.FieldError> errors = new ArrayList<>();

    private JsonRequest() {
    }

    /** Parses a body that must be one JSON object; a malformed body fails at once. */
    public static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ProblemException.invalid("body", "a JSON object is required");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        return (ObjectNode) node;
    }

    public static boolean isUuid(String text) {
        return text != null && UUID_PATTERN.matcher(text).matches();
    }

    public static JsonRequest reader() {
        return new JsonRequest();
    }

    public JsonRequest reject(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws a 400 naming every field collected so far, if any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalidRequest(errors));
        }
    }

    public void rejectUnknownFields(ObjectNode node, String prefix, Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                reject(prefix + name, "unknown field");
            }
        }
    }

    /** The field's value, or {@code null} when it is absent or JSON null (an error if it is required). */
    private JsonNode present(ObjectNode node, String prefix, String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                reject(prefix + name, "is required");
            }
            return null;
        }
        return value;
    }

    public String text(ObjectNode node, String prefix, String name, boolean required, int maxLength) {
        JsonNode value = present(node, prefix, name, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            reject(prefix + name, "must be a string");
            return null;
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            reject(prefix + name, "must not be blank");
            return null;
        }
        if (text.length() > maxLength) {
            reject(prefix + name, "must be at most " + maxLength + " characters");
            return null;
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            reject(prefix + name, "must not contain control characters");
            return null;
        }
        return text;
    }

    public UUID uuid(ObjectNode node, String prefix, String name, boolean required) {
        JsonNode value = present(node, prefix, name, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || !isUuid(value.textValue())) {
            reject(prefix + name, "must be a UUID string");
            return null;
        }
        return UUID.fromString(value.textValue());
    }

    public Integer integer(ObjectNode node, String prefix, String name, boolean required, int min, int max) {
        JsonNode value = present(node, prefix, name, required);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            reject(prefix + name, "must be an integer");
            return null;
        }
        if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            reject(prefix + name, "must be between " + min + " and " + max);
            return null;
        }
        return value.intValue();
    }

    /** A money amount: a JSON number, at least 0, at most 2 decimals, below 10^10. */
    public BigDecimal amount(ObjectNode node, String prefix, String name, boolean required) {
        JsonNode value = present(node, prefix, name, required);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            reject(prefix + name, "must be a number");
            return null;
        }
        BigDecimal amount = value.decimalValue().stripTrailingZeros();
        if (amount.signum() < 0) {
            reject(prefix + name, "must not be negative");
            return null;
        }
        if (amount.scale() > 2) {
            reject(prefix + name, "must have at most 2 decimals");
            return null;
        }
        if (amount.compareTo(new BigDecimal("9999999999.99")) > 0) {
            reject(prefix + name, "must be at most 9999999999.99");
            return null;
        }
        return amount.setScale(2);
    }

    public Boolean bool(ObjectNode node, String prefix, String name) {
        JsonNode value = present(node, prefix, name, false);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            reject(prefix + name, "must be true or false");
            return null;
        }
        return value.booleanValue();
    }
}
