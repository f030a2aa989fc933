package org.eventstream.orders.http;

import java.lang.reflect.Field;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DuplicateKeyException;

/**
 * Turns every failure of an HTTP route, and every request the router itself refuses (404, 405, 413, 415),
 * into an RFC 9457 {@code application/problem+json} response. A client mistake never becomes a 5xx;
 * an unexpected failure is logged and answered 500 without internals.
 */
public class HttpProblems {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProblems.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Unique constraints whose violation is the client's conflict, with the words to tell it. */
    private static final Map<String, String> CONFLICTS = Map.of(
            "products_sku_key", "a product with this sku already exists",
            "customers_email_key", "a customer with this email already exists");

    private static final Map<Integer, Problem> ROUTER_PROBLEMS = Map.of(
            400, Problem.of(400, "bad-request", "Bad request", "the request could not be read"),
            404, Problem.of(404, "not-found", "Not found", "no resource at this path"),
            405, Problem.of(405, "method-not-allowed", "Method not allowed", "this path does not accept this method"),
            406, Problem.of(406, "not-acceptable", "Not acceptable", "this resource is served as application/json"),
            413, Problem.of(413, "payload-too-large", "Payload too large", "the request body exceeds the size limit"),
            415, Problem.of(415, "unsupported-media-type", "Unsupported media type", "the request body must be application/json"));

    /** Renders the exchange's exception as the response: the {@code onException} step of every HTTP route. */
    public void render(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Problem problem = toProblem(failure).at(exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setBody(json(problem));
    }

    static Problem toProblem(Throwable thrown) {
        Throwable failure = rootOfInterest(thrown);
        if (failure instanceof ProblemException problemException) {
            return problemException.problem();
        }
        if (failure instanceof DuplicateKeyException duplicate) {
            String message = String.valueOf(duplicate.getMostSpecificCause().getMessage());
            return CONFLICTS.entrySet().stream()
                    .filter(conflict -> message.contains(conflict.getKey()))
                    .findFirst()
                    .map(conflict -> Problem.of(409, "conflict", "Conflict", conflict.getValue()))
                    .orElseGet(() -> Problem.of(409, "conflict", "Conflict", "conflicts with an existing resource"));
        }
        if (failure instanceof DataAccessResourceFailureException || failure instanceof TransientDataAccessException) {
            LOG.warn("a server the request needs is unavailable: {}", failure.getMessage());
            return Problem.of(503, "unavailable", "Service unavailable", "a server this request needs is unavailable; retry later");
        }
        if (failure instanceof DataIntegrityViolationException) {
            LOG.warn("request violates a database constraint that validation let through", failure);
            return Problem.of(422, "unprocessable", "Unprocessable request", "the request violates a data constraint");
        }
        LOG.error("unexpected failure serving a request", failure);
        return Problem.of(500, "internal-error", "Internal error", "the request failed; it has been logged");
    }

    /** The first cause that says what went wrong: Camel wraps what a bean or expression throws. */
    private static Throwable rootOfInterest(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemException || cause instanceof DataAccessException) {
                return cause;
            }
        }
        return thrown;
    }

    /** Makes the Vert.x router of every HTTP server of the context answer its own refusals with problem bodies. */
    public static void installOn(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server == null) {
            return;
        }
        Router router = rootRouter(server);
        ROUTER_PROBLEMS.forEach((status, problem) -> router.errorHandler(status, ctx -> respond(ctx, problem)));
    }

    /**
     * Vert.x answers unmatched paths, methods and media types, and oversized bodies, from the error handlers of the
     * server's root router; Camel only exposes the sub-router its routes are mounted on, so the root is read from
     * the server. HttpProblemsIT fails if a Camel upgrade moves it.
     */
    private static Router rootRouter(VertxPlatformHttpServer server) {
        try {
            Field field = VertxPlatformHttpServer.class.getDeclaredField("router");
            field.setAccessible(true);
            return (Router) field.get(server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the root router of the platform-http server", e);
        }
    }

    private static void respond(RoutingContext ctx, Problem problem) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(json(problem.at(ctx.request().path())));
    }

    static String json(Problem problem) {
        try {
            return MAPPER.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem of strings and numbers always serializes", e);
        }
    }
}
