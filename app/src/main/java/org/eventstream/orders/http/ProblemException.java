package org.eventstream.orders.http;

import java.util.List;

/**
 * Thrown by the beans the routes call when a request cannot be served; the routes' error handling
 * renders its {@link Problem} as {@code application/problem+json}.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalidRequest(List.of(new Problem.FieldError(field, message))));
    }

    public static ProblemException unprocessable(String field, String message) {
        return new ProblemException(Problem.unprocessable(List.of(new Problem.FieldError(field, message))));
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", "no " + what + " with id '" + id + "'"));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "conflict", "Conflict", detail));
    }

    public Problem problem() {
        return problem;
    }
}
