package org.eventstream.orders.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Header;
import org.eventstream.orders.http.Problem;
import org.eventstream.orders.http.ProblemException;

/**
 * Guards the admin API with a bearer token from configuration ({@code admin.token}). Without a configured token
 * the admin endpoints are off (404); with one, a request without the right {@code Authorization: Bearer} is 401.
 */
public class AdminAuth {

    private final byte[] token;

    public AdminAuth(String token) {
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    public void check(@Header("Authorization") String authorization) {
        if (token == null) {
            throw new ProblemException(Problem.of(404, "not-found", "Not found", "the admin API is off: set admin.token (ADMIN_TOKEN) to enable it"));
        }
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        // constant time, so the comparison leaks nothing of the token
        if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "a valid bearer token is required"));
        }
    }
}
