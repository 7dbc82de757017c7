package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retry, dead-letter and ack rules of a work queue, on an in-memory broker. */
class WorkQueueTest {
    private static final String WORK = "wq.work";
    private static final String DEAD = "wq.dead";

    private final InMemoryBroker broker = new InMemoryBroker();
    private final WorkQueue queue = broker.workQueue(WORK, DEAD, new Backoff(2000, 3));
    private final List<Delivery> received = new ArrayList<>();

    @BeforeEach
    void consume() throws IOException {
        queue.declare(Map.of());
        queue.consume(10, received::add);
    }

    /** The only delivery received since the last call. */
    private Delivery next() {
        assertEquals(1, received.size(), "deliveries received");
        return received.remove(0);
    }

    @Test
    void declares_the_work_queue_one_delay_queue_per_retry_and_the_dead_letter_queue() {
        assertEquals(Map.of(), broker.arguments(WORK));
        assertEquals(
                Map.of(
                        "x-message-ttl",
                        2000L,
                        "x-dead-letter-exchange",
                        "",
                        "x-dead-letter-routing-key",
                        WORK,
                        "x-dead-letter-strategy",
                        "at-least-once",
                        "x-overflow",
                        "reject-publish"),
                broker.arguments(WORK + ".delay-2000ms"));
        assertEquals(4000L, broker.arguments(WORK + ".delay-4000ms").get("x-message-ttl"));
        assertNull(broker.arguments(WORK + ".delay-8000ms"), "no delay after the last try");
        assertEquals(Map.of(), broker.arguments(DEAD));
    }

    @Test
    void a_done_delivery_is_acked_once() {
        broker.publish(WORK, "job");
        Delivery d = next();
        assertEquals(0, d.tries());
        assertEquals("job", new String(d.body()));
        d.ack();
        assertEquals(0, broker.unackedCount());
        assertEquals(List.of(), broker.messages(WORK));
    }

    @Test
    void
            failed_tries_wait_in_their_steps_delay_queue_then_the_last_goes_to_the_dead_letter_queue_with_the_error()
                    throws IOException {
        broker.publish(WORK, "job");
        Delivery first = next();
        assertFalse(queue.lastTry(first));
        assertEquals(WorkQueue.Outcome.RETRIED, queue.fail(first, "boom 1"));
        assertEquals(0, broker.unackedCount(), "the original is acked once its copy is safe");
        var waiting = broker.messages(WORK + ".delay-2000ms");
        assertEquals(1, waiting.size());
        assertEquals(1, waiting.get(0).header(WorkQueue.TRIES_HEADER));
        assertEquals("job", waiting.get(0).text());

        broker.expireDelays();
        Delivery second = next();
        assertEquals(1, second.tries());
        assertEquals(WorkQueue.Outcome.RETRIED, queue.fail(second, "boom 2"));
        assertEquals(
                2, broker.messages(WORK + ".delay-4000ms").get(0).header(WorkQueue.TRIES_HEADER));

        broker.expireDelays();
        Delivery last = next();
        assertTrue(queue.lastTry(last));
        assertEquals(WorkQueue.Outcome.DEAD, queue.fail(last, "boom 3"));
        var dead = broker.messages(DEAD);
        assertEquals(1, dead.size());
        assertEquals(3, dead.get(0).header(WorkQueue.TRIES_HEADER));
        assertEquals("boom 3", dead.get(0).header(WorkQueue.ERROR_HEADER));
        assertEquals("job", dead.get(0).text());
        assertEquals(0, broker.unackedCount());
        assertEquals(Map.of("waiting", 0L, "retrying", 0L, "dead", 1L), queue.depths());
    }

    @Test
    void a_delivery_no_try_can_mend_is_dead_lettered_at_once() throws IOException {
        broker.publish(WORK, "garbage");
        assertEquals(WorkQueue.Outcome.DEAD, queue.bury(next(), "not a job"));
        assertEquals("not a job", broker.messages(DEAD).get(0).header(WorkQueue.ERROR_HEADER));
        assertEquals(1, broker.messages(DEAD).get(0).header(WorkQueue.TRIES_HEADER));
        assertEquals(1, queue.deadLetters());
        assertEquals(0, broker.unackedCount());
    }

    @Test
    void a_retry_past_the_last_try_waits_the_last_delay_and_is_a_last_try_again() {
        broker.publish(WORK, "job");
        Delivery d = next();
        queue.fail(d, "1");
        broker.expireDelays();
        queue.fail(next(), "2");
        broker.expireDelays();
        Delivery last = next();
        assertEquals(WorkQueue.Outcome.RETRIED, queue.retry(last, "its give-up failed"));
        assertEquals(
                3, broker.messages(WORK + ".delay-4000ms").get(0).header(WorkQueue.TRIES_HEADER));
        broker.expireDelays();
        assertTrue(queue.lastTry(next()));
    }

    @Test
    void
            an_ack_on_a_connection_since_lost_is_a_no_op_not_an_ack_of_the_redelivery_with_the_same_tag() {
        broker.publish(WORK, "job");
        Delivery old = next();
        broker.reconnect();
        Delivery again = next();
        assertTrue(old.stale());
        assertFalse(again.stale());
        old.ack();
        old.requeue();
        assertEquals(1, broker.unackedCount(), "the redelivery (tag 1 again) is still unacked");
        again.ack();
        assertEquals(0, broker.unackedCount());
    }

    @Test
    void
            a_failed_try_on_a_connection_since_lost_is_not_copied_as_the_broker_delivers_the_original_again() {
        broker.publish(WORK, "job");
        Delivery old = next();
        broker.reconnect();
        Delivery again = next();
        assertEquals(WorkQueue.Outcome.KEPT, queue.fail(old, "boom"));
        assertEquals(WorkQueue.Outcome.KEPT, queue.bury(old, "boom"));
        assertEquals(List.of(), broker.messages(WORK + ".delay-2000ms"));
        assertEquals(List.of(), broker.messages(DEAD));
        assertEquals(1, broker.unackedCount());
        assertEquals(List.of(), received, "not requeued either");
        assertEquals(WorkQueue.Outcome.RETRIED, queue.fail(again, "boom"));
    }

    @Test
    void a_failed_try_the_broker_does_not_take_stays_in_the_work_queue() {
        broker.publish(WORK, "job");
        broker.refusesSends = true;
        assertEquals(WorkQueue.Outcome.KEPT, queue.fail(next(), "boom"));
        assertEquals(List.of(), broker.messages(WORK + ".delay-2000ms"));
        Delivery again = next();
        assertEquals(
                0,
                again.tries(),
                "requeued as it was: a try the broker could not record is not counted");
        broker.refusesSends = false;
        assertEquals(WorkQueue.Outcome.RETRIED, queue.fail(again, "boom"));
    }

    @Test
    void a_failed_part_moves_alone_and_leaves_the_delivery_to_its_consumer() {
        broker.publish(WORK, "[a,b]");
        Delivery batch = next();
        assertEquals(WorkQueue.Outcome.RETRIED, queue.failPart(batch, "b".getBytes(), "b failed"));
        assertEquals("b", broker.messages(WORK + ".delay-2000ms").get(0).text());
        assertEquals(1, broker.unackedCount(), "the batch is not settled yet");
        batch.ack();
        assertEquals(0, broker.unackedCount());
    }

    @Test
    void a_copy_carries_only_its_own_headers_and_a_bounded_error() throws IOException {
        var props =
                new AMQP.BasicProperties.Builder()
                        .messageId("m-1")
                        .expiration("60000")
                        .headers(Map.of("x-death", List.of("earlier"), WorkQueue.TRIES_HEADER, 2))
                        .build();
        broker.send(WORK, props, "job".getBytes());
        Delivery d = next();
        queue.fail(d, "x".repeat(2000));
        var dead = broker.messages(DEAD).get(0);
        assertEquals(
                Map.of(WorkQueue.TRIES_HEADER, 3, WorkQueue.ERROR_HEADER, "x".repeat(500)),
                dead.props().getHeaders());
        assertEquals("m-1", dead.props().getMessageId());
        assertNull(
                dead.props().getExpiration(),
                "a TTL of its own would expire it in the dead-letter queue");
        assertEquals(2, dead.props().getDeliveryMode());
    }

    @Test
    void a_plain_consumer_acks_with_the_same_generation_rule() throws IOException {
        List<Delivery> hints = new ArrayList<>();
        broker.declare("wq.hints", Map.of());
        broker.consumer("wq.hints", hints::add);
        broker.publish("wq.hints", "hint");
        assertEquals(1, hints.size());
        broker.reconnect();
        hints.get(0).ack();
        assertEquals(1, broker.unackedCount());
        hints.get(1).ack();
        assertEquals(0, broker.unackedCount());
    }
}
