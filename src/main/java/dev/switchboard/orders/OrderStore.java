package dev.switchboard.orders;

import dev.switchboard.TimeOrderedIds;
import dev.switchboard.UserId;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Orders in the message store's database. Every change writes its event to the outbox in the same
 * transaction, so an event exists exactly when its change was committed.
 */
@ApplicationScoped
@Transactional
public class OrderStore {
    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Resource(lookup = "java:app/jdbc/switchboard")
    DataSource dataSource;

    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final Clock clock = Clock.systemUTC();
    private volatile Boolean postgres;

    /** Stores a new pending order and its {@code order.created} event. */
    public Order create(UserId user, List<Order.Item> items, java.math.BigDecimal total) {
        Instant now = clock.instant();
        var lines =
                items.stream().map(i -> new OrderEntity.Line(i.sku(), i.qty(), i.price())).toList();
        var entity = new OrderEntity(ids.next(now.toEpochMilli()), user, lines, total, now);
        em.persist(entity);
        em.flush(); // assigns the version the API and the cache see
        Order order = entity.toOrder();
        em.persist(
                new OutboxEventEntity(
                        OrderEvent.of(
                                ids.next(now.toEpochMilli()),
                                OrderEvent.CREATED,
                                order,
                                now.toEpochMilli())));
        return order;
    }

    /**
     * Moves a pending order to its outcome and records {@code order.updated}; the row lock makes
     * two processors holding the same order (a redelivery) decide it once.
     *
     * @return the changed order, or empty when it was no longer pending (or does not exist)
     */
    public Optional<Order> decide(String orderId, OrderStatus outcome) {
        OrderEntity entity = em.find(OrderEntity.class, orderId, LockModeType.PESSIMISTIC_WRITE);
        if (entity == null || entity.status() != OrderStatus.PENDING) return Optional.empty();
        Instant now = clock.instant();
        entity.moveTo(outcome, now);
        em.flush();
        Order order = entity.toOrder();
        em.persist(
                new OutboxEventEntity(
                        OrderEvent.of(
                                ids.next(now.toEpochMilli()),
                                OrderEvent.UPDATED,
                                order,
                                now.toEpochMilli())));
        return Optional.of(order);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Order> find(String orderId) {
        return Optional.ofNullable(em.find(OrderEntity.class, orderId)).map(OrderEntity::toOrder);
    }

    /** The user's orders, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Order> byUser(UserId user, int limit) {
        return em
                .createQuery(
                        "SELECT o FROM OrderEntity o WHERE o.userId = :user ORDER BY o.id DESC",
                        OrderEntity.class)
                .setParameter("user", user.value())
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(OrderEntity::toOrder)
                .toList();
    }

    /** Orders still pending, oldest first: what a standalone node resumes after a restart. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Order> pending(int limit) {
        return em
                .createQuery(
                        "SELECT o FROM OrderEntity o WHERE o.status = :status ORDER BY o.id",
                        OrderEntity.class)
                .setParameter("status", OrderStatus.PENDING.name())
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(OrderEntity::toOrder)
                .toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<OrderStatus, Long> countByStatus() {
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        for (OrderStatus status : OrderStatus.values()) counts.put(status, 0L);
        List<Object[]> rows =
                em.createQuery(
                                "SELECT o.status, COUNT(o) FROM OrderEntity o GROUP BY o.status",
                                Object[].class)
                        .getResultList();
        for (Object[] row : rows)
            counts.put(OrderStatus.valueOf((String) row[0]), ((Number) row[1]).longValue());
        return counts;
    }

    /**
     * Takes up to {@code max} outbox events, oldest first, hands them to {@code publish} (which
     * returns once the broker has confirmed them, or throws) and deletes them, in one transaction.
     * On PostgreSQL the rows stay locked while they are published and other nodes' relays skip
     * them; if this node dies before the commit they are published again (at least once).
     *
     * @return how many were published
     */
    public int relay(int max, Consumer<List<OrderEvent>> publish) {
        String lock = isPostgres() ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
        @SuppressWarnings("unchecked")
        List<Object[]> rows =
                em.createNativeQuery(
                                "SELECT id, event, order_id, user_id, payload, created_ms FROM order_outbox"
                                        + " ORDER BY id LIMIT "
                                        + max
                                        + lock)
                        .getResultList();
        if (rows.isEmpty()) return 0;
        List<OrderEvent> events =
                rows.stream()
                        .map(
                                r ->
                                        new OrderEvent(
                                                (String) r[0],
                                                (String) r[1],
                                                (String) r[2],
                                                (String) r[3],
                                                (String) r[4],
                                                ((Number) r[5]).longValue()))
                        .toList();
        publish.accept(events);
        em.createQuery("DELETE FROM OutboxEventEntity e WHERE e.id IN :ids")
                .setParameter("ids", events.stream().map(OrderEvent::id).toList())
                .executeUpdate();
        return events.size();
    }

    private boolean isPostgres() {
        Boolean known = postgres;
        if (known == null) {
            try (var connection = dataSource.getConnection()) {
                known =
                        connection
                                .getMetaData()
                                .getDatabaseProductName()
                                .toLowerCase(java.util.Locale.ROOT)
                                .contains("postgres");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(
                        "cannot reach the order store: " + e.getMessage(), e);
            }
            postgres = known;
        }
        return known;
    }
}
