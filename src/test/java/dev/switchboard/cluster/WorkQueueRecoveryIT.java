package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Needs the real RabbitMQ on localhost (a virtual host of its own, so nothing else is touched): the
 * queue arguments the broker accepts, a delay that really expires, and the generation rule across a
 * connection the broker closes and the client recovers.
 */
class WorkQueueRecoveryIT {
    private static final String VHOST =
            "switchboard-it-wq-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String WORK = "wq.work";
    private static final String DEAD = "wq.dead";
    private static final AMQP.BasicProperties PERSISTENT =
            new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    private static Rabbit rabbit;

    @BeforeAll
    static void connect() {
        rabbitmqctl("add_vhost", VHOST);
        rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
        rabbit = Rabbit.connect("amqp://guest:guest@127.0.0.1:5672/" + VHOST, "switchboard-wq-it");
    }

    @AfterAll
    static void close() {
        if (rabbit != null) rabbit.close();
        rabbitmqctl("delete_vhost", VHOST);
    }

    @Test
    void a_delivery_of_a_lost_connection_is_stale_and_its_redelivery_is_retried_then_buried()
            throws Exception {
        var queue = new WorkQueue(rabbit, WORK, DEAD, new Backoff(100, 2));
        queue.declare(Map.of());
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        queue.consume(10, got::add);
        rabbit.sendConfirmed(WORK, PERSISTENT, "job".getBytes(StandardCharsets.UTF_8));
        Delivery first = take(got, "the first delivery");
        assertFalse(first.stale());

        rabbitmqctl(
                "close_all_connections",
                "--vhost",
                VHOST,
                "WorkQueueRecoveryIT: a lost connection");
        Delivery again = take(got, "the redelivery on the recovered connection");
        assertTrue(first.stale(), "the first came on the lost connection");
        assertFalse(again.stale(), "the redelivery came on the recovered one");
        first.ack(); // a no-op: an ack of its tag would close the recovered channel

        assertEquals(WorkQueue.Outcome.RETRIED, queue.fail(again, "boom 1"));
        Delivery retried = take(got, "the retry, back from " + WORK + ".delay-100ms");
        assertEquals(1, retried.tries());
        assertEquals(WorkQueue.Outcome.DEAD, queue.fail(retried, "boom 2"));

        var dead = rabbit.withPublisher(channel -> channel.basicGet(DEAD, true));
        assertNotNull(dead, "dead-lettered");
        assertEquals("job", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertEquals(
                2, ((Number) dead.getProps().getHeaders().get(WorkQueue.TRIES_HEADER)).intValue());
        assertEquals("boom 2", dead.getProps().getHeaders().get(WorkQueue.ERROR_HEADER).toString());
        assertEquals(Map.of("waiting", 0L, "retrying", 0L, "dead", 0L), queue.depths());
    }

    private static Delivery take(BlockingQueue<Delivery> got, String what)
            throws InterruptedException {
        Delivery d = got.poll(30, TimeUnit.SECONDS);
        assertNotNull(d, what + " did not come within 30 s");
        return d;
    }

    private static void rabbitmqctl(String... args) {
        var command = new java.util.ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new AssertionError("failed: " + command);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
