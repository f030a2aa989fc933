package org.eventstream.orders.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@code sql-deferred} scheme: a write whose route needs no answer, put off until its transaction commits. The
 * endpoint's statement and options are camel-sql's ({@link CountedParametersSqlComponent}); its body is one row, the
 * statement's named parameters as a {@code Map}.
 * <p>
 * Inside a Spring transaction the producer only keeps the row. Just before the commit ({@code beforeCommit}) every row
 * the transaction gave the endpoint is written by one JDBC batch of the statement — one round trip, however many
 * messages a consumer batch held ({@code messaging.BatchedDeliveries}) — still inside the transaction. A row that
 * fails fails the commit: the transaction rolls back as a whole, as it would had the statement run at once; the
 * consumer then delivers each message on its own. Endpoints write in the order the transaction first used them, and
 * each its rows in the order they came.
 * <p>
 * The price: the route gets no {@code CamelSqlUpdateCount}, and the rows are not there yet for a later statement of the
 * same transaction. So only effects that nothing after them reads use it. Outside a transaction the row is written at
 * once, with the update count, as {@code sql} would.
 */
public class DeferredSqlComponent extends CountedParametersSqlComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SqlEndpoint statement = (SqlEndpoint) super.createEndpoint(uri, remaining, parameters);
        statement.setBatch(true);
        // camel-sql commits a batch itself unless its exchange is transacted: the flush's exchange is not, and the
        // connection is the transaction's, whose commit this is part of
        statement.setBatchAutoCommitDisabled(false);
        return new DeferredEndpoint(uri, this, statement);
    }

    static final class DeferredEndpoint extends DefaultEndpoint {

        private final SqlEndpoint statement;

        DeferredEndpoint(String uri, DeferredSqlComponent component, SqlEndpoint statement) {
            super(uri, component);
            this.statement = statement;
        }

        @Override
        public Producer createProducer() throws Exception {
            return new DeferredProducer(this, statement.createProducer());
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("sql-deferred only writes: " + getEndpointUri());
        }

        @Override
        public boolean isRemote() {
            return true;
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(statement);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(statement);
        }
    }

    static final class DeferredProducer extends DefaultProducer {

        private final Producer statement;

        DeferredProducer(DeferredEndpoint endpoint, Producer statement) {
            super(endpoint);
            this.statement = statement;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            Map<String, Object> row = row(exchange);
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                exchange.getMessage().setHeader(SqlConstants.SQL_UPDATE_COUNT, write(List.of(row)));
                return;
            }
            Rows rows = (Rows) TransactionSynchronizationManager.getResource(getEndpoint());
            if (rows == null) {
                rows = new Rows();
                TransactionSynchronizationManager.bindResource(getEndpoint(), rows);
                TransactionSynchronizationManager.registerSynchronization(rows);
            }
            rows.add(row);
        }

        /** A copy: a later step changing the body's map must not change what the commit writes. */
        private Map<String, Object> row(Exchange exchange) throws InvalidPayloadException {
            Object body = exchange.getMessage().getBody();
            if (!(body instanceof Map<?, ?> parameters)) {
                throw new InvalidPayloadException(exchange, Map.class);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            parameters.forEach((name, value) -> row.put(String.valueOf(name), value));
            return row;
        }

        /** Runs the statement once per row in one JDBC batch; the rows it changed. */
        private int write(List<Map<String, Object>> rows) throws Exception {
            Exchange batch = getEndpoint().createExchange();
            batch.getMessage().setBody(rows);
            statement.process(batch);
            if (batch.getException() != null) {
                throw batch.getException();
            }
            return batch.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, 0, Integer.class);
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(statement);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(statement);
        }

        /** The rows one transaction gave this endpoint, written just before it commits. */
        private final class Rows implements TransactionSynchronization {

            private final List<Map<String, Object>> pending = new ArrayList<>();

            void add(Map<String, Object> row) {
                pending.add(row);
            }

            @Override
            public void beforeCommit(boolean readOnly) {
                try {
                    write(pending);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new RuntimeCamelException("the deferred rows of " + getEndpoint() + " failed", e);
                }
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(getEndpoint());
            }
        }
    }
}
