package dev.switchboard.routing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.impl.recovery.AutorecoveringChannel;
import dev.switchboard.cluster.DependencyLog;
import dev.switchboard.cluster.Rabbit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bus over RabbitMQ. Exchange {@code switchboard.chat} (topic) carries each frame once, keyed
 * {@code room.<room>} or {@code user.<id>} (one broker message per key per stored batch); each node
 * consumes {@code switchboard.node.<id>} (auto-delete) and binds only the keys its sockets need, so
 * a node receives no traffic it has no socket for, and skips its own copies (local sockets were
 * served directly). Bindings go on the raw channel, batched and confirmed by one synchronous
 * command, because the client's topology recovery searched a list per binding; {@link #rebind}
 * restores them after a broker restart. A join waits for its binding (history is read only once
 * frames route here).
 */
public class RabbitBus implements Bus {
    private static final Logger LOG = Logger.getLogger(RabbitBus.class.getName());
    static final String EXCHANGE = "switchboard.chat";
    private static final long CONFIRM_TIMEOUT_MS = 5000;

    private final Rabbit rabbit;
    private final String nodeId;
    private final String queue;
    private volatile Channel topology;
    private final BlockingQueue<BindingChange> changes = new LinkedBlockingQueue<>();
    private final Thread binder;
    private static final int MAX_CHANGES_PER_ROUND = 1000;
    private static final long BIND_WAIT_SECONDS = 10;

    private record BindingChange(String key, boolean on, CompletableFuture<Void> applied) {}

    private final Channel consumer;
    private final LongAdder received = new LongAdder();

    /** The bindings this node wants, whatever the broker has: re-applied after a recovery. */
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();

    private final LocalDelivery local;
    private final AMQP.BasicProperties properties;

    private final DependencyLog publishFailures = new DependencyLog(LOG, "publishing to RabbitMQ");

    public RabbitBus(Rabbit rabbit, String nodeId, LocalDelivery local) {
        this.rabbit = rabbit;
        this.nodeId = nodeId;
        this.local = local;
        this.queue = "switchboard.node." + nodeId;
        this.properties = new AMQP.BasicProperties.Builder().appId(nodeId).build();
        try {
            topology = rabbit.newChannel();
            topology.exchangeDeclare(EXCHANGE, BuiltinExchangeType.TOPIC, true);
            // classic on purpose: it is this node's alone and auto-delete, which quorum queues
            // cannot be
            topology.queueDeclare(queue, false, false, true, Map.of());
            consumer = rabbit.newChannel();
            consumer.basicQos(1000);
            consumer.basicConsume(
                    queue,
                    true,
                    new DefaultConsumer(consumer) {
                        @Override
                        public void handleDelivery(
                                String tag,
                                com.rabbitmq.client.Envelope delivery,
                                AMQP.BasicProperties props,
                                byte[] body) {
                            receive(delivery.getRoutingKey(), props, body);
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException(
                    "switchboard.rabbitmq.uri: cannot declare the chat exchange and node queue: "
                            + e,
                    e);
        }
        rabbit.onRecovery(this::rebind);
        binder = new Thread(this::applyChanges, "switchboard-bindings-" + nodeId);
        binder.setDaemon(true);
        binder.start();
    }

    /**
     * Runs once the client has recovered the connection, the queue and the consumer. The queue came
     * back without bindings (it is deleted with its last consumer), and a binding asked for while
     * the broker was away never reached it: every wanted one is bound again (binding is
     * idempotent).
     */
    private void rebind() {
        LOG.info(
                "RabbitMQ connection recovered: re-applying "
                        + wanted.size()
                        + " bindings of node "
                        + nodeId);
        wanted.forEach(key -> enqueue(key, true)); // not waited for: they go out as one round
    }

    @Override
    public void publish(Envelope envelope) {
        local.deliver(envelope);
        try {
            rabbit.withPublisher(
                    channel -> {
                        send(channel, routingKey(envelope), List.of(envelope));
                        return null;
                    });
            publishFailures.answered();
        } catch (IOException | TimeoutException | RuntimeException e) {
            // other nodes miss this frame; logged once per outage, not per frame
            publishFailures.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Publishes a batch and waits for the broker's confirms: one round trip for the whole batch,
     * and one broker message per room or user in it (the broker's cost is per message, not per
     * byte).
     */
    @Override
    public boolean publishConfirmed(List<Envelope> envelopes) {
        envelopes.forEach(local::deliver);
        Map<String, List<Envelope>> byKey = new LinkedHashMap<>();
        for (Envelope e : envelopes)
            byKey.computeIfAbsent(routingKey(e), k -> new ArrayList<>()).add(e);
        try {
            boolean confirmed =
                    rabbit.withPublisher(
                            channel -> {
                                for (var group : byKey.entrySet())
                                    send(channel, group.getKey(), group.getValue());
                                return channel.waitForConfirms(CONFIRM_TIMEOUT_MS);
                            });
            publishFailures.answered();
            return confirmed;
        } catch (IOException | TimeoutException | RuntimeException e) {
            // other nodes miss these messages until their clients recover them; logged once per
            // outage
            publishFailures.failed(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Frames for one routing key as one broker message. The sender's node id is the message's
     * {@code app-id}, so a node drops its own copies (it has delivered them already) without
     * decoding anything else; the body is, per frame, a line {@code <seq> <ts> <except length>
     * <frame length>} followed by the except socket id (empty for none) and the frame, lengths in
     * chars.
     */
    private void send(Channel channel, String key, List<Envelope> frames) throws IOException {
        channel.basicPublish(EXCHANGE, key, properties, encode(frames));
    }

    static byte[] encode(List<Envelope> frames) {
        var body = new StringBuilder(frames.size() * 300);
        for (Envelope e : frames) {
            String except = e.exceptSocket() == null ? "" : e.exceptSocket();
            body.append(e.seq())
                    .append(' ')
                    .append(e.acceptedAtMs())
                    .append(' ')
                    .append(except.length())
                    .append(' ')
                    .append(e.frame().length())
                    .append('\n')
                    .append(except)
                    .append(e.frame());
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The inverse of {@link #encode}; throws on a body that is not one. */
    static List<Envelope> decode(Envelope.Target target, String name, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<Envelope> frames = new ArrayList<>();
        for (int at = 0; at < text.length(); ) {
            int eol = text.indexOf('\n', at);
            String[] meta = text.substring(at, eol).split(" ");
            int exceptEnd = eol + 1 + Integer.parseInt(meta[2]);
            int frameEnd = exceptEnd + Integer.parseInt(meta[3]);
            String except = text.substring(eol + 1, exceptEnd);
            frames.add(
                    new Envelope(
                            target,
                            name,
                            text.substring(exceptEnd, frameEnd),
                            except.isEmpty() ? null : except,
                            Long.parseLong(meta[0]),
                            Long.parseLong(meta[1])));
            at = frameEnd;
        }
        return frames;
    }

    private void receive(String routingKey, AMQP.BasicProperties props, byte[] body) {
        if (nodeId.equals(props.getAppId())) return;
        var target = routingKey.startsWith("room.") ? Envelope.Target.ROOM : Envelope.Target.USER;
        List<Envelope> frames;
        try {
            frames = decode(target, routingKey.substring(routingKey.indexOf('.') + 1), body);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a malformed message on " + routingKey + " was dropped", e);
            return;
        }
        received.add(frames.size());
        for (Envelope envelope : frames) deliver(routingKey, envelope);
    }

    private void deliver(String routingKey, Envelope envelope) {
        try {
            local.deliver(envelope);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "local delivery of " + routingKey + " failed", e);
        }
    }

    private static String routingKey(Envelope e) {
        return (e.target() == Envelope.Target.ROOM ? "room." : "user.") + e.name();
    }

    @Override
    public Applied watchRoom(String room) {
        return bind("room." + room);
    }

    @Override
    public void unwatchRoom(String room) {
        unbind("room." + room);
    }

    @Override
    public Applied watchUser(String user) {
        return bind("user." + user);
    }

    @Override
    public void unwatchUser(String user) {
        unbind("user." + user);
    }

    /**
     * A binding is queued at once, in the order asked; a join waits for it before it reads history,
     * so no message falls between.
     */
    private Applied bind(String key) {
        wanted.add(key);
        CompletableFuture<Void> applied = enqueue(key, true);
        return () -> await(key, applied);
    }

    private void unbind(String key) {
        wanted.remove(key);
        enqueue(key, false);
    }

    private CompletableFuture<Void> enqueue(String key, boolean on) {
        var change = new BindingChange(key, on, new CompletableFuture<>());
        changes.add(change);
        return change.applied();
    }

    private static void await(String key, CompletableFuture<Void> applied) {
        try {
            applied.get(BIND_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning(
                    "binding "
                            + key
                            + " not confirmed (re-applied when the broker connection recovers): "
                            + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void applyChanges() {
        List<BindingChange> round = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                round.add(changes.take());
            } catch (InterruptedException e) {
                return;
            }
            changes.drainTo(round, MAX_CHANGES_PER_ROUND - 1);
            try {
                Channel channel = unrecorded(topologyChannel());
                for (BindingChange c : round) {
                    // AMQP has no unbind without a reply; nobody waits for an unbinding, so its
                    // round trip costs no one
                    if (c.on()) channel.queueBindNoWait(queue, EXCHANGE, c.key(), Map.of());
                    else channel.queueUnbind(queue, EXCHANGE, c.key());
                }
                channel.queueDeclarePassive(
                        queue); // answered after every change above: they are applied
                round.forEach(c -> c.applied().complete(null));
            } catch (IOException | RuntimeException e) {
                LOG.warning(
                        round.size()
                                + " binding changes failed (re-applied when the broker connection recovers): "
                                + e);
                round.forEach(c -> c.applied().completeExceptionally(e));
            }
            round.clear();
        }
    }

    /** The topology channel, opened again if a failed command closed it. */
    private Channel topologyChannel() throws IOException {
        Channel channel = topology;
        if (!channel.isOpen() && rabbit.isOpen()) {
            channel = rabbit.newChannel();
            topology = channel;
        }
        return channel;
    }

    /**
     * The channel under a recovering one: what goes through it is not recorded for topology
     * recovery.
     */
    private static Channel unrecorded(Channel channel) {
        return channel instanceof AutorecoveringChannel recovering
                ? recovering.getDelegate()
                : channel;
    }

    @Override
    public long receivedFromOtherNodes() {
        return received.sum();
    }

    @Override
    public boolean healthy() {
        return rabbit.isOpen() && consumer.isOpen();
    }

    @Override
    public void close() {
        binder.interrupt();
        try {
            consumer.close();
            topology.close();
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.log(Level.FINE, "closing bus channels failed", e);
        }
    }
}
