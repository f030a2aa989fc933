package org.eventstream.orders.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CountedParametersSqlComponentTest {

    @Test
    void countsTheNamedParametersOfAStatement() {
        assertThat(CountedParametersSqlComponent.fixedParameterCount("INSERT INTO t (a, b, c) VALUES (:#a, CAST(:#b AS uuid), :#${variable.c})", '#')).isEqualTo(3);
        assertThat(CountedParametersSqlComponent.fixedParameterCount("SELECT status::text FROM orders.orders WHERE id = CAST(:#id AS uuid) FOR NO KEY UPDATE", '#')).isEqualTo(1);
    }

    @Test
    void leavesTheCountToTheDriverWhenTheTextCannotTellIt() {
        assertThat(CountedParametersSqlComponent.fixedParameterCount("SELECT 1", '#')).isZero();
        assertThat(CountedParametersSqlComponent.fixedParameterCount("SELECT * FROM t WHERE id IN (:#in:ids) AND a = :#a", '#')).isZero();
        assertThat(CountedParametersSqlComponent.fixedParameterCount("SELECT * FROM t WHERE a = ? AND b = :#b", '#')).isZero();
        assertThat(CountedParametersSqlComponent.fixedParameterCount("SELECT * FROM t WHERE a = # AND b = :#b", '#')).isZero();
    }

    @Test
    void endpointsGetTheCountUnlessTheirUriSaysOtherwise() throws Exception {
        try (CamelContext context = withTheComponent()) {
            assertThat(((SqlEndpoint) context.getEndpoint("sql:UPDATE t SET a = :#a WHERE id = :#id")).getParametersCount()).isEqualTo(2);
            assertThat(((SqlEndpoint) context.getEndpoint("sql:UPDATE t SET b = :#b WHERE id = :#id?parametersCount=5")).getParametersCount()).isEqualTo(5);
            assertThat(((SqlEndpoint) context.getEndpoint("sql:SELECT * FROM t WHERE id IN (:#in:ids)")).getParametersCount()).isZero();
        }
    }

    @Test
    void endpointsRewriteTheirStatementOnceAndInListsForEachMessage() throws Exception {
        try (CamelContext context = withTheComponent()) {
            SqlEndpoint update = (SqlEndpoint) context.getEndpoint("sql:UPDATE t SET a = :#a WHERE id = CAST(:#${body[id]} AS uuid)");
            SqlPrepareStatementStrategy strategy = update.getPrepareStatementStrategy();
            Exchange exchange = new DefaultExchange(context);
            String prepared = strategy.prepareQuery(update.getQuery(), true, exchange);
            assertThat(prepared).isEqualTo("UPDATE t SET a = ? WHERE id = CAST(? AS uuid)")
                    .isEqualTo(new DefaultSqlPrepareStatementStrategy().prepareQuery(update.getQuery(), true, exchange));
            assertThat(strategy.prepareQuery(update.getQuery(), true, exchange)).isSameAs(prepared);

            SqlEndpoint in = (SqlEndpoint) context.getEndpoint("sql:SELECT * FROM t WHERE id IN (:#in:ids)");
            assertThat(in.getPrepareStatementStrategy().prepareQuery(in.getQuery(), true, withBody(context, Map.of("ids", List.of(1, 2)))))
                    .isEqualTo("SELECT * FROM t WHERE id IN (?,?)");
            assertThat(in.getPrepareStatementStrategy().prepareQuery(in.getQuery(), true, withBody(context, Map.of("ids", List.of(1, 2, 3)))))
                    .isEqualTo("SELECT * FROM t WHERE id IN (?,?,?)");
        }
    }

    @Test
    void endpointsFindThePlainParameterNamesOfTheirStatementOnceAndLookThemUpWhereCamelSqlDoes() throws Exception {
        try (CamelContext context = withTheComponent()) {
            SqlEndpoint update = (SqlEndpoint) context.getEndpoint("sql:UPDATE t SET a = :#a, b = :#b WHERE id = CAST(:#id AS uuid)");
            SqlPrepareStatementStrategy strategy = update.getPrepareStatementStrategy();
            DefaultSqlPrepareStatementStrategy camels = new DefaultSqlPrepareStatementStrategy();
            Exchange exchange = withBody(context, Map.of("a", 1, "id", "x"));
            exchange.getIn().setHeader("b", "from a header");
            exchange.setVariable("id", "shadowed by the body");
            String prepared = strategy.prepareQuery(update.getQuery(), true, exchange);

            List<Object> ours = new ArrayList<>();
            strategy.createPopulateIterator(update.getQuery(), prepared, 3, exchange, exchange.getMessage().getBody()).forEachRemaining(ours::add);
            List<Object> theirs = new ArrayList<>();
            camels.createPopulateIterator(update.getQuery(), prepared, 3, exchange, exchange.getMessage().getBody()).forEachRemaining(theirs::add);
            assertThat(ours).containsExactly(1, "from a header", "x").isEqualTo(theirs);

            Exchange withVariable = withBody(context, Map.of("a", 2, "b", 3));
            withVariable.setVariable("id", "from a variable");
            List<Object> fromVariable = new ArrayList<>();
            strategy.createPopulateIterator(update.getQuery(), prepared, 3, withVariable, withVariable.getMessage().getBody())
                    .forEachRemaining(fromVariable::add);
            assertThat(fromVariable).containsExactly(2, 3, "from a variable");

            exchange.getIn().removeHeader("b");
            assertThatThrownBy(() -> strategy.createPopulateIterator(update.getQuery(), prepared, 3, exchange,
                    exchange.getMessage().getBody()).forEachRemaining(value -> { }))
                    .isInstanceOf(RuntimeExchangeException.class).hasMessageContaining("Cannot find key [b]");
        }
    }

    /** A context whose {@code sql} component is ours (its data source is never connected to here). */
    private static CamelContext withTheComponent() {
        CamelContext context = new DefaultCamelContext();
        CountedParametersSqlComponent sql = new CountedParametersSqlComponent();
        sql.setDataSource(new PGSimpleDataSource());
        context.addComponent("sql", sql);
        return context;
    }

    private static Exchange withBody(CamelContext context, Object body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
