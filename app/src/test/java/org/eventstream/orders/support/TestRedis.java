package org.eventstream.orders.support;

import java.util.List;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The local Redis as the tests see it: a connection, and to forget every idempotency key, as after a Redis restart. */
public final class TestRedis {

    private TestRedis() {
    }

    /** A connection of the test's own to the tests' database; close it. */
    public static Jedis connect() {
        Jedis jedis = new Jedis(TestServers.REDIS_HOST, TestServers.REDIS_PORT);
        jedis.select(TestServers.REDIS_DATABASE);
        return jedis;
    }

    /** Removes the idempotency keys a page at a time (SCAN, UNLINK): however many there are, no command blocks Redis. */
    public static long forgetIdempotencyKeys() {
        long removed = 0;
        ScanParams idempotencyKeys = new ScanParams().match("idempotency:*").count(10_000);
        try (Jedis jedis = connect()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, idempotencyKeys);
                List<String> keys = page.getResult();
                if (!keys.isEmpty()) {
                    removed += jedis.unlink(keys.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return removed;
    }
}
