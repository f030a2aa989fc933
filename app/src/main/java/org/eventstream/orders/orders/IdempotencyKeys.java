package org.eventstream.orders.orders;

import java.util.Map;

import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.eventstream.orders.http.ProblemException;

/**
 * The {@code Idempotency-Key} request header: a retry with the same key and the same order gets the original
 * order back; the same key with a different order is a 409.
 */
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 200;

    /** The key, or {@code null} when the request has none; a malformed key is a 400. */
    public String key(@Header(HEADER) String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ProblemException.invalid(HEADER, "must be 1 to " + MAX_LENGTH + " visible ASCII characters");
        }
        return key;
    }

    /**
     * Decides a retry: the id of the original order when the request is the same, else a 409.
     *
     * @param existing the order stored under the key: {@code id} and {@code request_hash}
     */
    public String replay(@Variable("request") OrderRequest request, @Variable("existing") Map<String, Object> existing) {
        if (!request.fingerprint().equals(existing.get("request_hash"))) {
            throw ProblemException.conflict("Idempotency-Key was already used for a different order (" + existing.get("id") + ")");
        }
        return String.valueOf(existing.get("id"));
    }
}
