package org.eventstream.orders.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The test RabbitMQ vhost seen from the test: a connection of its own, queues that capture what the relay publishes,
 * and {@code rabbitmqctl} for what only the broker's operator can do (close a client's connections, revoke rights).
 */
public final class TestBroker implements AutoCloseable {

    public static final String EVENTS = "events";

    private final Connection connection;

    private TestBroker(Connection connection) {
        this.connection = connection;
    }

    public static TestBroker connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServers.RABBITMQ_HOST);
        factory.setPort(TestServers.RABBITMQ_PORT);
        factory.setUsername(TestServers.RABBITMQ_USER);
        factory.setPassword(TestServers.RABBITMQ_PASSWORD);
        factory.setVirtualHost(TestServers.RABBITMQ_VHOST);
        return new TestBroker(factory.newConnection("event-stream-orders-tests"));
    }

    public Channel channel() throws IOException {
        return connection.createChannel();
    }

    /** One message as a consumer received it. */
    public record Delivery(String messageId, String routingKey, AMQP.BasicProperties properties, String body) {
        public String header(String name) {
            Object value = properties.getHeaders() == null ? null : properties.getHeaders().get(name);
            return value == null ? null : value.toString();
        }
    }

    /** A queue of the test's own on the {@code events} exchange, consumed into memory; deleted when closed. */
    public final class Capture implements AutoCloseable {
        private final Channel channel;
        private final String queue;
        private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

        private Capture(String queue, String... bindingKeys) throws IOException {
            this.channel = connection.createChannel();
            this.queue = queue;
            channel.exchangeDeclare(EVENTS, BuiltinExchangeType.TOPIC, true);
            channel.queueDelete(queue);
            channel.queueDeclare(queue, false, false, false, Map.of("x-queue-type", "classic"));
            for (String key : bindingKeys) {
                channel.queueBind(queue, EVENTS, key);
            }
            channel.basicQos(1000);
            channel.basicConsume(queue, true, (tag, message) -> deliveries.add(new Delivery(message.getProperties().getMessageId(),
                    message.getEnvelope().getRoutingKey(), message.getProperties(),
                    new String(message.getBody(), StandardCharsets.UTF_8))), tag -> { });
        }

        public List<Delivery> deliveries() {
            return new ArrayList<>(deliveries);
        }

        public int size() {
            return deliveries.size();
        }

        public void clear() {
            deliveries.clear();
        }

        @Override
        public void close() throws Exception {
            if (channel.isOpen()) {
                channel.queueDelete(queue);
                channel.close();
            }
        }
    }

    public Capture capture(String queue, String... bindingKeys) throws IOException {
        return new Capture(queue, bindingKeys);
    }

    public void deleteQueues(Collection<String> queues) throws Exception {
        try (Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
        }
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }

    // --- rabbitmqctl: the broker operator's view -------------------------------------------------

    public static boolean rabbitmqctlAvailable() {
        try {
            return rabbitmqctl("-q", "status").exitCode == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Each queue of the test vhost as {@code name type arguments}. */
    public static String queues() throws Exception {
        return rabbitmqctl("-q", "list_queues", "-p", TestServers.RABBITMQ_VHOST, "name", "type", "arguments").output;
    }

    /** Closes every connection the user has open on the test vhost, as an operator would. */
    public static int closeConnectionsOf(String user, String reason) throws Exception {
        String listing = rabbitmqctl("-q", "list_connections", "pid", "vhost", "user").output;
        Matcher matcher = Pattern.compile("^(<[^>]+>)\\t([^\\t]*)\\t(.*)$", Pattern.MULTILINE).matcher(listing);
        int closed = 0;
        while (matcher.find()) {
            if (matcher.group(2).equals(TestServers.RABBITMQ_VHOST) && matcher.group(3).strip().equals(user)) {
                check(rabbitmqctl("-q", "close_connection", matcher.group(1), reason));
                closed++;
            }
        }
        return closed;
    }

    /** A user of the test's own with full rights on the test vhost, so revoking them touches nobody else. */
    public static void createUser(String user, String password) throws Exception {
        rabbitmqctl("-q", "delete_user", user);
        check(rabbitmqctl("-q", "add_user", user, password));
        grantAccess(user);
    }

    public static void deleteUser(String user) throws Exception {
        check(rabbitmqctl("-q", "delete_user", user));
    }

    /** Takes the user's rights on the test vhost away: connecting to it is refused from now on. */
    public static void revokeAccess(String user) throws Exception {
        check(rabbitmqctl("-q", "clear_permissions", "-p", TestServers.RABBITMQ_VHOST, user));
    }

    public static void grantAccess(String user) throws Exception {
        check(rabbitmqctl("-q", "set_permissions", "-p", TestServers.RABBITMQ_VHOST, user, ".*", ".*", ".*"));
    }

    private record Result(int exitCode, String output) {
    }

    private static void check(Result result) {
        if (result.exitCode != 0) {
            throw new IllegalStateException("rabbitmqctl failed: " + result.output);
        }
    }

    private static Result rabbitmqctl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        command.addAll(List.of(args));
        Path output = Files.createTempFile("rabbitmqctl", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " did not finish");
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
