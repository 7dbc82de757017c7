package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * Stored messages: writes are plain JDBC batches, one transaction per batch; reads are JPA queries,
 * in a transaction too: outside one, the container's entity manager on a worker thread can be one
 * it has already closed (seen under load on the writer thread: "operation on a closed
 * EntityManager").
 */
@ApplicationScoped
@Transactional
public class MessageStore {
    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Resource(lookup = "java:app/jdbc/switchboard")
    DataSource dataSource;

    /**
     * Stores a whole batch in one transaction, one JDBC batch per table: all or nothing. Plain JDBC
     * rather than {@code persist}: the provider's change tracking cost more than the inserts
     * themselves at group-commit rates, and nothing reads these rows back in this transaction.
     */
    @Transactional
    public void insert(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        insertBatch(roomMessages, directMessages, "", 0);
    }

    /**
     * Stores a batch in one transaction, skipping messages whose id is already stored: a message
     * the broker delivers again (after a node died before its ack) is not stored twice. A different
     * message with a seq already taken still fails, on the (room, seq) constraint. PostgreSQL only.
     */
    @Transactional
    public void insertIgnoringDuplicates(
            List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        insertBatch(roomMessages, directMessages, " ON CONFLICT (id) DO NOTHING", 0);
    }

    /**
     * {@link #insertIgnoringDuplicates} that gives up after {@code timeoutSeconds} per statement:
     * for a caller with somewhere else to put the batch, a store that hangs is no better than one
     * that is down.
     */
    @Transactional
    public void insertIgnoringDuplicates(
            List<RoomMessage> roomMessages,
            List<DirectMessage> directMessages,
            int timeoutSeconds) {
        insertBatch(roomMessages, directMessages, " ON CONFLICT (id) DO NOTHING", timeoutSeconds);
    }

    private void insertBatch(
            List<RoomMessage> roomMessages,
            List<DirectMessage> directMessages,
            String onConflict,
            int timeoutSeconds) {
        try (Connection c = dataSource.getConnection()) {
            if (!roomMessages.isEmpty()) {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO room_message (id, room, seq, sender, sender_name, body, ts_ms, node)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                                        + onConflict)) {
                    ps.setQueryTimeout(timeoutSeconds);
                    for (RoomMessage m : roomMessages) {
                        ps.setString(1, m.id());
                        ps.setString(2, m.room().value());
                        ps.setLong(3, m.seq());
                        ps.setString(4, m.from().value());
                        ps.setString(5, m.name());
                        ps.setString(6, m.text());
                        ps.setLong(7, m.ts().toEpochMilli());
                        ps.setString(8, m.node());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!directMessages.isEmpty()) {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO direct_message (id, conversation, sender, sender_name, recipient, body, ts_ms, node)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                                        + onConflict)) {
                    ps.setQueryTimeout(timeoutSeconds);
                    for (DirectMessage m : directMessages) {
                        ps.setString(1, m.id());
                        ps.setString(2, DirectMessage.conversation(m.from(), m.to()));
                        ps.setString(3, m.from().value());
                        ps.setString(4, m.name());
                        ps.setString(5, m.to().value());
                        ps.setString(6, m.text());
                        ps.setLong(7, m.ts().toEpochMilli());
                        ps.setString(8, m.node());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        } catch (SQLException e) {
            // the driver's own message repeats the statement with every value: keep message text
            // out of the logs
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            throw new IllegalStateException(
                    "batch insert failed: SQLState "
                            + cause.getSQLState()
                            + ", "
                            + cause.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    /**
     * @return whether the store answers a trivial query now
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    public long maxSeq(RoomName room) {
        Long max =
                em.createQuery(
                                "select max(m.seq) from RoomMessageEntity m where m.room = :room",
                                Long.class)
                        .setParameter("room", room.value())
                        .getSingleResult();
        return max == null ? 0 : max;
    }

    /**
     * The newest {@code limit} messages with seq below {@code beforeSeq} (or the newest overall),
     * oldest first.
     */
    public List<RoomMessage> roomPage(RoomName room, Long beforeSeq, int limit) {
        var query =
                em.createQuery(
                                "select m from RoomMessageEntity m where m.room = :room"
                                        + (beforeSeq == null ? "" : " and m.seq < :before")
                                        + " order by m.seq desc",
                                RoomMessageEntity.class)
                        .setParameter("room", room.value())
                        .setMaxResults(limit);
        if (beforeSeq != null) query.setParameter("before", beforeSeq);
        return oldestFirst(
                query.getResultList().stream().map(RoomMessageEntity::toMessage).toList());
    }

    /** Messages with {@code after < seq <= upTo}, oldest first, at most {@code limit}. */
    public List<RoomMessage> roomRange(RoomName room, long after, long upTo, int limit) {
        return em
                .createQuery(
                        "select m from RoomMessageEntity m where m.room = :room and m.seq > :after and m.seq <= :upTo"
                                + " order by m.seq",
                        RoomMessageEntity.class)
                .setParameter("room", room.value())
                .setParameter("after", after)
                .setParameter("upTo", upTo)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(RoomMessageEntity::toMessage)
                .toList();
    }

    /**
     * The newest {@code limit} messages of a conversation with ids below {@code beforeId} (ids sort
     * by time), oldest first.
     */
    public List<DirectMessage> conversationPage(UserId a, UserId b, String beforeId, int limit) {
        var query =
                em.createQuery(
                                "select m from DirectMessageEntity m where m.conversation = :c"
                                        + (beforeId == null ? "" : " and m.id < :before")
                                        + " order by m.id desc",
                                DirectMessageEntity.class)
                        .setParameter("c", DirectMessage.conversation(a, b))
                        .setMaxResults(limit);
        if (beforeId != null) query.setParameter("before", beforeId);
        return oldestFirst(
                query.getResultList().stream().map(DirectMessageEntity::toMessage).toList());
    }

    private static <T> List<T> oldestFirst(List<T> newestFirst) {
        List<T> list = new ArrayList<>(newestFirst);
        Collections.reverse(list);
        return list;
    }
}
