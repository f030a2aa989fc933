package org.eventstream.orders.messaging;

import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * State that lasts as long as the current transaction, a consumer batch's ({@link BatchedDeliveries}): made on first
 * use, on the transaction's thread, and dropped when the transaction completes, committed or rolled back.
 *
 * @param <T> the state
 */
public final class TransactionState<T> {

    private final String owner;
    private final Supplier<T> initial;

    /**
     * @param owner   what keeps the state, for the error when there is no transaction
     * @param initial the state of a transaction that has not used it yet
     */
    public TransactionState(String owner, Supplier<T> initial) {
        this.owner = owner;
        this.initial = initial;
    }

    /** The current transaction's state. */
    @SuppressWarnings("unchecked")
    public T get() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException(owner + " runs in its consumer's transaction (reliable-consumer)");
        }
        T state = (T) TransactionSynchronizationManager.getResource(this);
        if (state == null) {
            state = initial.get();
            TransactionSynchronizationManager.bindResource(this, state);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(TransactionState.this);
                }
            });
        }
        return state;
    }
}
