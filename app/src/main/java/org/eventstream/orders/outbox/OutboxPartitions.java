package org.eventstream.orders.outbox;

import java.util.stream.IntStream;

/**
 * The outbox is split into {@code partitions} by a hash of the aggregate id, so that all events of one aggregate
 * fall into one partition. A partition is relayed by one holder at a time (a transaction-scoped advisory lock),
 * in id order; the relay's workers split the partitions between them: worker {@code w} of {@code n} takes those with
 * {@code partition % n == w}.
 */
record OutboxPartitions(int partitions, int workers) {

    /** The partition of a row, as SQL: non-negative, stable across instances of one PostgreSQL major version. */
    static final String PARTITION_OF_ROW = "(hashtext(aggregate_id) & 2147483647) % ?";

    /** Try-locks the given partitions in the claiming transaction and returns those this transaction now holds. */
    static final String LOCK_PARTITIONS =
            "SELECT p FROM unnest(?::int[]) AS p WHERE pg_try_advisory_xact_lock(hashtext('messaging.outbox'), p)";

    OutboxPartitions {
        if (partitions < 1) {
            throw new IllegalArgumentException("outbox.partitions must be at least 1, not " + partitions);
        }
        if (workers < 1 || workers > partitions) {
            throw new IllegalArgumentException("outbox.workers must be between 1 and outbox.partitions (" + partitions + "), not " + workers);
        }
    }

    Integer[] ofWorker(int worker) {
        return IntStream.range(0, partitions).filter(p -> p % workers == worker).boxed().toArray(Integer[]::new);
    }
}
