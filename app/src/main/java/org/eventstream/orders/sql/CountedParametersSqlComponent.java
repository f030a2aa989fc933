package org.eventstream.orders.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.component.sql.SqlEndpoint;

/**
 * Camel's {@code sql} component, except that an endpoint whose statement has a fixed number of named parameters
 * ({@code :#name}, {@code :#${expression}}) is told that number ({@code parametersCount}), unless its URI says otherwise.
 * <p>
 * Without it, camel-sql asks the driver for {@code getParameterMetaData()} on every execution, which PostgreSQL's driver
 * answers with a round trip of its own (Parse and Describe of the statement) before the real one: every statement of
 * every order went to the server twice. A statement whose count depends on the message ({@code :#in:} lists) or that
 * uses other placeholders ({@code ?}, a bare {@code #}) keeps the driver's answer. A wrong count cannot go unnoticed:
 * camel-sql fails the statement when the parameters it binds do not match it.
 * <p>
 * And each endpoint remembers its statement with the named parameters replaced by {@code ?}: camel-sql rewrites the
 * text with regular expressions on every execution (about 2 % of the JVM's CPU under load, async-profiler), though for
 * a fixed statement the answer never changes. {@code :#in:} lists, whose placeholders depend on the message, and a
 * statement taken from the message ({@code CamelSqlQuery}) are rewritten each time as before.
 */
public class CountedParametersSqlComponent extends SqlComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Endpoint endpoint = super.createEndpoint(uri, remaining, parameters);
        if (endpoint instanceof SqlEndpoint sql && sql.getParametersCount() == 0) {
            // the component has already turned the placeholder '#' into '?' when usePlaceholder is on (the default)
            sql.setParametersCount(fixedParameterCount(sql.getQuery(), sql.isUsePlaceholder() ? '?' : '#'));
        }
        if (endpoint instanceof SqlEndpoint sql && sql.getPrepareStatementStrategy() == null) {
            sql.setPrepareStatementStrategy(new RememberedStatement(sql.getQuery(), sql.getSeparator()));
        }
        return endpoint;
    }

    /**
     * camel-sql's preparation, with the endpoint's own statement rewritten once, and its parameter names, when every
     * one is a plain name ({@code :#name}), found once: camel-sql finds them with a regular expression on every
     * execution (1.7 % of the JVM's CPU at 250 orders/s, async-profiler), and looks each of them up in the body's
     * {@code Map} twice. A parameter is still looked up where camel-sql looks: the body's map, then the headers, then
     * the variables.
     */
    static final class RememberedStatement extends DefaultSqlPrepareStatementStrategy {

        private static final Pattern PLAIN_NAME = Pattern.compile(":\\?(\\w+)");
        private static final String MISSING = "Cannot find key [%s] in message body or headers to use when setting named"
                + " parameter in query [%s]";

        private final String query;
        private volatile String prepared;
        private volatile List<String> names;

        RememberedStatement(String query, char separator) {
            super(separator);
            this.query = query;
        }

        @Override
        public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
            if (!query.equals(this.query) || query.contains(":?in:")) {
                return super.prepareQuery(query, allowNamedParameters, exchange);
            }
            String known = prepared;
            if (known == null) {
                known = super.prepareQuery(query, allowNamedParameters, exchange);
                prepared = known;
            }
            return known;
        }

        @Override
        public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
                                                  Object value) throws SQLException {
            List<String> plain = query.equals(this.query) && value != null ? plainNames() : List.of();
            if (plain.isEmpty()) {
                return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
            }
            Map<?, ?> body = exchange.getContext().getTypeConverter().tryConvertTo(Map.class, exchange, value);
            List<Object> values = new ArrayList<>(plain.size());
            for (String name : plain) {
                values.add(body != null && body.containsKey(name) ? body.get(name) : fromHeadersOrVariables(name, exchange));
            }
            return values.iterator();
        }

        /** A parameter the body does not hold; variables only when the exchange has any (asking creates them). */
        private Object fromHeadersOrVariables(String name, Exchange exchange) {
            Map<String, Object> headers = exchange.getIn().getHeaders();
            if (headers != null && headers.containsKey(name)) {
                return headers.get(name);
            }
            if (exchange.hasVariables() && exchange.getVariables().containsKey(name)) {
                return exchange.getVariables().get(name);
            }
            throw new RuntimeExchangeException(String.format(MISSING, name, query), exchange);
        }

        /** The statement's parameter names in order when each is a plain name, else none (camel-sql's way then). */
        private List<String> plainNames() {
            List<String> known = names;
            if (known == null) {
                known = new ArrayList<>();
                if (!query.contains(":?in:") && !query.contains(":?$")) {
                    Matcher name = PLAIN_NAME.matcher(query);
                    while (name.find()) {
                        known.add(name.group(1));
                    }
                }
                known = List.copyOf(known);
                names = known;
            }
            return known;
        }
    }

    /**
     * The number of parameters the statement binds whatever the message, or 0 when that depends on the message or
     * cannot be told from its text.
     *
     * @param marker the character of a named parameter ({@code :#name} is {@code :?name} once placeholders are replaced)
     */
    static int fixedParameterCount(String query, char marker) {
        if (query == null || query.contains(":" + marker + "in:") || (marker != '?' && query.indexOf('?') >= 0)) {
            return 0;
        }
        int named = 0;
        for (int at = query.indexOf(":" + marker); at >= 0; at = query.indexOf(":" + marker, at + 2)) {
            named++;
        }
        // a marker that does not follow ':' is a positional parameter
        long markers = query.chars().filter(c -> c == marker).count();
        return markers == named ? named : 0;
    }
}
