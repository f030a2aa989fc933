package org.eventstream.orders.sql;

import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;

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
        try (CamelContext context = new DefaultCamelContext()) {
            CountedParametersSqlComponent sql = new CountedParametersSqlComponent();
            sql.setDataSource(new PGSimpleDataSource());
            context.addComponent("sql", sql);

            assertThat(((SqlEndpoint) context.getEndpoint("sql:UPDATE t SET a = :#a WHERE id = :#id")).getParametersCount()).isEqualTo(2);
            assertThat(((SqlEndpoint) context.getEndpoint("sql:UPDATE t SET b = :#b WHERE id = :#id?parametersCount=5")).getParametersCount()).isEqualTo(5);
            assertThat(((SqlEndpoint) context.getEndpoint("sql:SELECT * FROM t WHERE id IN (:#in:ids)")).getParametersCount()).isZero();
        }
    }
}
