package dev.switchboard.ops;

import dev.switchboard.chat.ChatService;
import dev.switchboard.history.Persister;
import dev.switchboard.orders.OrderService;
import dev.switchboard.orders.OrderStatus;
import dev.switchboard.rooms.RoomMembers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Gauges whose values come from Redis, the broker or the database. They are read together ({@link
 * #refresh()}) rather than once per gauge, at most once per {@link #MAX_AGE}: {@code /metrics}
 * needs no token, so a scrape must cost no round trips of its own. A dependency that does not
 * answer leaves its gauges at NaN instead of failing the scrape.
 */
@ApplicationScoped
public class ApplicationMeters {
    static final Duration MAX_AGE = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ApplicationMeters.class.getName());

    @Inject MeterRegistry registry;
    @Inject ChatService chat;
    @Inject RoomMembers members;
    @Inject Persister persister;
    @Inject OrderService orders;

    private volatile double rooms = Double.NaN;
    private volatile double persistWaiting = Double.NaN;
    private volatile double persistDead = Double.NaN;
    private volatile double ordersDead = Double.NaN;
    private final Map<OrderStatus, Double> ordersByStatus = new EnumMap<>(OrderStatus.class);
    private final RecentValue<Boolean> figures = new RecentValue<>(MAX_AGE, this::readFigures);

    @PostConstruct
    void register() {
        Gauge.builder("switchboard.connections", chat, ChatService::connections)
                .description("open sockets on this node")
                .register(registry);
        Gauge.builder("switchboard.rooms", this, m -> m.rooms)
                .description("rooms with members, whole cluster")
                .register(registry);
        Gauge.builder("switchboard.persist.queue", this, m -> m.persistWaiting)
                .tag("state", "waiting")
                .description("messages the broker holds for the persisters (cluster)")
                .register(registry);
        Gauge.builder("switchboard.dead.letters", this, m -> m.persistDead)
                .tag("queue", "switchboard.persist.dead")
                .description("messages that failed every try, waiting for inspection or replay")
                .register(registry);
        Gauge.builder("switchboard.dead.letters", this, m -> m.ordersDead)
                .tag("queue", "switchboard.orders.dead")
                .description("messages that failed every try, waiting for inspection or replay")
                .register(registry);
        for (OrderStatus status : OrderStatus.values()) {
            ordersByStatus.put(status, Double.NaN);
            Gauge.builder("switchboard.orders", this, m -> m.ordersByStatus.get(status))
                    .tag("status", status.wire())
                    .description("orders in the store by status")
                    .register(registry);
        }
    }

    /**
     * Reads the figures that cost a round trip if they are older than {@link #MAX_AGE}; called by
     * each scrape.
     */
    void refresh() {
        figures.get();
    }

    private Boolean readFigures() {
        rooms = read("rooms", members::roomCount);
        Map<String, Long> depths = persister.queueDepths();
        persistWaiting =
                depths.containsKey("waiting")
                        ? depths.get("waiting")
                        : (depths.isEmpty() ? 0 : Double.NaN);
        persistDead =
                depths.containsKey("dead")
                        ? depths.get("dead")
                        : (depths.isEmpty() ? 0 : Double.NaN);
        long dead = orders.deadLetters();
        ordersDead = dead < 0 ? Double.NaN : dead;
        try {
            orders.countByStatus()
                    .forEach((status, count) -> ordersByStatus.put(status, count.doubleValue()));
        } catch (RuntimeException e) {
            LOG.fine("orders by status not read: " + e);
            ordersByStatus.replaceAll((status, count) -> Double.NaN);
        }
        return Boolean.TRUE;
    }

    private static double read(String what, java.util.function.LongSupplier supplier) {
        try {
            return supplier.getAsLong();
        } catch (RuntimeException e) {
            LOG.fine(what + " not read: " + e);
            return Double.NaN;
        }
    }
}
