package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** JPA access to stored messages. Reads run without a transaction; writes are one transaction per batch. */
@ApplicationScoped
public class MessageStore {
    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    /** Stores a whole batch in one transaction (one JDBC batch per table): all or nothing. */
    @Transactional
    public void insert(List<RoomMessage> roomMessages, List<DirectMessage> directMessages) {
        for (RoomMessage m : roomMessages) em.persist(new RoomMessageEntity(m));
        for (DirectMessage m : directMessages) em.persist(new DirectMessageEntity(m));
    }

    public long maxSeq(RoomName room) {
        Long max = em.createQuery("select max(m.seq) from RoomMessageEntity m where m.room = :room", Long.class)
                .setParameter("room", room.value()).getSingleResult();
        return max == null ? 0 : max;
    }

    /** The newest {@code limit} messages with seq below {@code beforeSeq} (or the newest overall), oldest first. */
    public List<RoomMessage> roomPage(RoomName room, Long beforeSeq, int limit) {
        var query = em.createQuery("select m from RoomMessageEntity m where m.room = :room"
                        + (beforeSeq == null ? "" : " and m.seq < :before") + " order by m.seq desc", RoomMessageEntity.class)
                .setParameter("room", room.value())
                .setMaxResults(limit);
        if (beforeSeq != null) query.setParameter("before", beforeSeq);
        return oldestFirst(query.getResultList().stream().map(RoomMessageEntity::toMessage).toList());
    }

    /** Messages with {@code after < seq <= upTo}, oldest first, at most {@code limit}. */
    public List<RoomMessage> roomRange(RoomName room, long after, long upTo, int limit) {
        return em.createQuery("select m from RoomMessageEntity m where m.room = :room and m.seq > :after and m.seq <= :upTo"
                        + " order by m.seq", RoomMessageEntity.class)
                .setParameter("room", room.value())
                .setParameter("after", after)
                .setParameter("upTo", upTo)
                .setMaxResults(limit)
                .getResultList().stream().map(RoomMessageEntity::toMessage).toList();
    }

    /** The newest {@code limit} messages of a conversation with ids below {@code beforeId} (ids sort by time), oldest first. */
    public List<DirectMessage> conversationPage(UserId a, UserId b, String beforeId, int limit) {
        var query = em.createQuery("select m from DirectMessageEntity m where m.conversation = :c"
                        + (beforeId == null ? "" : " and m.id < :before") + " order by m.id desc", DirectMessageEntity.class)
                .setParameter("c", DirectMessage.conversation(a, b))
                .setMaxResults(limit);
        if (beforeId != null) query.setParameter("before", beforeId);
        return oldestFirst(query.getResultList().stream().map(DirectMessageEntity::toMessage).toList());
    }

    private static <T> List<T> oldestFirst(List<T> newestFirst) {
        List<T> list = new ArrayList<>(newestFirst);
        Collections.reverse(list);
        return list;
    }
}
