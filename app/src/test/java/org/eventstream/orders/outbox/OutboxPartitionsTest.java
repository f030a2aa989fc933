package org.eventstream.orders.outbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxPartitionsTest {

    @Test
    void oneWorkerTakesEveryPartition() {
        assertThat(new OutboxPartitions(8, 1).ofWorker(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void workersSplitThePartitionsWithoutOverlap() {
        OutboxPartitions split = new OutboxPartitions(8, 3);

        assertThat(split.ofWorker(0)).containsExactly(0, 3, 6);
        assertThat(split.ofWorker(1)).containsExactly(1, 4, 7);
        assertThat(split.ofWorker(2)).containsExactly(2, 5);
    }

    @Test
    void refusesMoreWorkersThanPartitions() {
        assertThatThrownBy(() -> new OutboxPartitions(4, 5)).hasMessageContaining("outbox.workers must be between 1 and outbox.partitions");
        assertThatThrownBy(() -> new OutboxPartitions(0, 1)).hasMessageContaining("outbox.partitions must be at least 1");
    }
}
