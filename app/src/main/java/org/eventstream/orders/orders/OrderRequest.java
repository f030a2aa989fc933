package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A validated POST /orders body. {@code expectedTotal} is the one-line form's {@code total_amount},
 * checked against the catalog price; prices themselves never come from the client. {@code oneLineForm} only
 * decides how errors name the fields.
 */
public record OrderRequest(UUID customerId, List<Line> lines, String currency, BigDecimal expectedTotal, boolean oneLineForm) {

    public record Line(UUID productId, int quantity) {
    }

    /** SHA-256 of the canonical request: equal for the same order however its JSON was spelled. */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder()
                .append(customerId).append('|').append(currency).append('|')
                .append(expectedTotal == null ? "" : expectedTotal.toPlainString());
        lines.forEach(line -> canonical.append('|').append(line.productId()).append('x').append(line.quantity()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
