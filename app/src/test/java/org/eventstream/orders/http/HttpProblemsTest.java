package org.eventstream.orders.http;

import java.sql.SQLException;

import org.apache.camel.language.bean.RuntimeBeanExpressionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;

class HttpProblemsTest {

    @Test
    void aProblemThrownInsideAnExpressionKeepsItsStatus() {
        ProblemException notFound = ProblemException.notFound("order", "x");
        Problem problem = HttpProblems.toProblem(new RuntimeBeanExpressionException(null, "bean", "method", notFound));

        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.detail()).isEqualTo("no order with id 'x'");
    }

    @Test
    void aUniqueViolationIsAConflictInTheClientsWords() {
        DuplicateKeyException duplicate = new DuplicateKeyException("insert",
                new SQLException("duplicate key value violates unique constraint \"products_sku_key\""));

        Problem problem = HttpProblems.toProblem(duplicate);

        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.detail()).isEqualTo("a product with this sku already exists");
    }

    @Test
    void anUnexpectedFailureIsA500WithoutInternals() {
        Problem problem = HttpProblems.toProblem(new IllegalStateException("password=secret at host db-7"));

        assertThat(problem.status()).isEqualTo(500);
        assertThat(HttpProblems.json(problem)).doesNotContain("secret", "db-7");
    }

    @Test
    void aConstraintTheValidatorMissedIsNotA5xx() {
        assertThat(HttpProblems.toProblem(new DataIntegrityViolationException("check")).status()).isEqualTo(422);
    }

    @Test
    void aDatabaseThatIsDownIsA503NotA500() {
        Problem problem = HttpProblems.toProblem(new org.springframework.jdbc.CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"));

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.detail()).doesNotContain("JDBC");
    }
}
