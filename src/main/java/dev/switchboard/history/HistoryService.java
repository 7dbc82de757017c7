package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads for {@code joined}, {@code history} and the HTTP history: recovery and paging rules. Room
 * reads come from the recent-history cache when it holds the whole answer, else from the store
 * completed with the cached messages it does not have yet, so both give the same answer.
 */
@ApplicationScoped
public class HistoryService {
    @Inject MessageStore store;
    @Inject HistorySettings settings;
    @Inject RecentHistory recent;
    @Inject SeqCounter seqs;

    /**
     * What a {@code joined} frame carries. {@code recovered} is null when no {@code since} was
     * given.
     */
    public record JoinHistory(List<RoomMessage> messages, long seq, Boolean recovered) {}

    public record Page<T>(List<T> messages, boolean hasMore) {}

    /**
     * Remembers stored messages for joins; called after their commit and before they are published.
     */
    public void remember(List<RoomMessage> stored) {
        recent.append(stored);
    }

    /**
     * Recovery: every message after {@code since} when no more than {@code recover-max} were
     * missed, else the latest page and {@code recovered: false}. Without {@code since}: the latest
     * {@code on-join}. Answered from the recent-history cache when it holds the whole answer, else
     * from the store.
     */
    public JoinHistory onJoin(RoomName room, Long since) {
        List<RoomMessage> kept = kept(room);
        JoinHistory cached = fromRecent(kept, since);
        if (cached != null) return cached;
        if (kept.isEmpty() && neverWritten(room))
            return new JoinHistory(List.of(), 0, since == null ? null : Boolean.TRUE);
        return fromStore(room, since, kept);
    }

    /**
     * No message of the room was ever accepted: its seq counter, which learns a room it does not
     * know from the store once, is at 0. An empty cache cannot tell that from "not cached", and
     * without this every join of a room without messages read the store twice.
     */
    private boolean neverWritten(RoomName room) {
        try {
            return seqs.current(room, () -> store.maxSeq(room)) == 0;
        } catch (RuntimeException e) {
            return false; // the counter is down: the store answers
        }
    }

    private List<RoomMessage> kept(RoomName room) {
        try {
            return recent.latest(room);
        } catch (RuntimeException e) {
            return List.of(); // the cache is down: the store still answers
        }
    }

    /**
     * Seqs are gapless, so the answer is seqs {@code from..latest}; the cache answers only when it
     * holds every one of them. It can miss one in the middle: an append that failed (the writer
     * goes on without it), or in a cluster a batch appended after later ones and trimmed first.
     *
     * @return the answer from the cache, or null when the cache does not hold all of it
     */
    private JoinHistory fromRecent(List<RoomMessage> kept, Long since) {
        if (kept.isEmpty()) return null;
        long latest = kept.get(kept.size() - 1).seq();
        if (since != null && since >= latest) return new JoinHistory(List.of(), latest, true);
        if (since != null && latest - since > settings.recoverMax()) return null;
        long from = since == null ? Math.max(1, latest - settings.onJoin() + 1) : since + 1;
        List<RoomMessage> answer = contiguous(kept, from, latest);
        return answer == null
                ? null
                : new JoinHistory(answer, latest, since == null ? null : Boolean.TRUE);
    }

    /**
     * The store's answer united with the kept messages in its range: in a cluster the store lags
     * the cache by the messages the persisters have not written (or all of them while the database
     * is down), and not only at its newest end, since persisters on different nodes commit out of
     * seq order. A recovery must not miss an acked message for that.
     */
    private JoinHistory fromStore(RoomName room, Long since, List<RoomMessage> kept) {
        long latest =
                Math.max(store.maxSeq(room), kept.isEmpty() ? 0 : kept.get(kept.size() - 1).seq());
        if (since == null)
            return new JoinHistory(
                    last(
                            union(store.roomPage(room, null, settings.onJoin()), kept, 0),
                            settings.onJoin()),
                    latest,
                    null);
        if (since >= latest) return new JoinHistory(List.of(), latest, true);
        if (latest - since <= settings.recoverMax()) {
            return new JoinHistory(
                    union(store.roomRange(room, since, latest, settings.recoverMax()), kept, since),
                    latest,
                    true);
        }
        long after = latest - settings.onJoin();
        return new JoinHistory(
                last(
                        union(store.roomRange(room, after, latest, settings.onJoin()), kept, after),
                        settings.onJoin()),
                latest,
                false);
    }

    /** Stored and kept messages with seq above {@code after}, each once, by seq. */
    private static List<RoomMessage> union(
            List<RoomMessage> stored, List<RoomMessage> kept, long after) {
        TreeMap<Long, RoomMessage> bySeq = new TreeMap<>();
        for (RoomMessage m : stored) bySeq.put(m.seq(), m);
        for (RoomMessage m : kept) {
            if (m.seq() > after) bySeq.putIfAbsent(m.seq(), m);
        }
        return new ArrayList<>(bySeq.values());
    }

    private static List<RoomMessage> last(List<RoomMessage> messages, int count) {
        return messages.size() <= count
                ? messages
                : messages.subList(messages.size() - count, messages.size());
    }

    /**
     * The newest {@code limit} messages with seq below {@code beforeSeq} (or the newest overall),
     * oldest first, and whether an older one is left. Answered from the recent-history cache when
     * it holds the page and the message before it, else from the store completed with the cached
     * messages: the same answer either way.
     */
    public Page<RoomMessage> roomPage(RoomName room, Long beforeSeq, int limit) {
        if (beforeSeq != null && beforeSeq <= 1)
            return new Page<>(List.of(), false); // seqs start at 1
        List<RoomMessage> kept = kept(room);
        Page<RoomMessage> cached = pageFromRecent(kept, beforeSeq, limit);
        return cached != null ? cached : pageFromStore(room, beforeSeq, limit, kept);
    }

    /**
     * Seqs are gapless, so the page is seqs {@code newest - limit + 1 .. newest}, and whether one
     * is older is known exactly when the cache also holds the seq before the page (or the page
     * starts at seq 1). A {@code before} beyond the cache's latest message means the client saw one
     * the cache lacks (an append that failed): the store answers.
     *
     * @return the page from the cache, or null when the cache does not hold all of it
     */
    private static Page<RoomMessage> pageFromRecent(
            List<RoomMessage> kept, Long beforeSeq, int limit) {
        if (kept.isEmpty()) return null;
        long latest = kept.get(kept.size() - 1).seq();
        if (beforeSeq != null && beforeSeq - 1 > latest) return null;
        long newest = beforeSeq == null ? latest : beforeSeq - 1;
        long oldest = Math.max(1, newest - limit + 1);
        boolean hasMore = oldest > 1;
        List<RoomMessage> span = contiguous(kept, hasMore ? oldest - 1 : oldest, newest);
        if (span == null) return null;
        return new Page<>(hasMore ? span.subList(1, span.size()) : span, hasMore);
    }

    /**
     * @return the kept messages with seqs {@code from..to}, by seq, or null when one of them is not
     *     kept
     */
    private static List<RoomMessage> contiguous(List<RoomMessage> kept, long from, long to) {
        TreeMap<Long, RoomMessage> bySeq = new TreeMap<>();
        for (RoomMessage m : kept) {
            if (m.seq() >= from && m.seq() <= to) bySeq.putIfAbsent(m.seq(), m);
        }
        return bySeq.size() == to - from + 1 ? new ArrayList<>(bySeq.values()) : null;
    }

    /**
     * The store's page united with the cached messages below {@code before}. In a cluster the store
     * lags the cache by what the persisters have not written, and not always at its newest end
     * (persisters on different nodes commit out of seq order). The newest {@code limit + 1} of the
     * union are the newest of all known messages: a stored one among them is in the store's {@code
     * limit + 1}, an unstored one is in the cache.
     */
    private Page<RoomMessage> pageFromStore(
            RoomName room, Long beforeSeq, int limit, List<RoomMessage> kept) {
        TreeMap<Long, RoomMessage> bySeq = new TreeMap<>();
        for (RoomMessage m : store.roomPage(room, beforeSeq, limit + 1)) bySeq.put(m.seq(), m);
        for (RoomMessage m : kept) {
            if (beforeSeq == null || m.seq() < beforeSeq) bySeq.putIfAbsent(m.seq(), m);
        }
        return page(last(new ArrayList<>(bySeq.values()), limit + 1), limit);
    }

    /**
     * Conversations have no recent-history cache (only room messages are kept): the store answers.
     */
    public Page<DirectMessage> conversationPage(
            UserId me, UserId with, String beforeId, int limit) {
        return page(store.conversationPage(me, with, beforeId, limit + 1), limit);
    }

    /**
     * One more row than asked tells whether there is more; the extra row is the oldest, so it goes.
     */
    private static <T> Page<T> page(List<T> oldestFirst, int limit) {
        if (oldestFirst.size() <= limit) return new Page<>(oldestFirst, false);
        return new Page<>(
                oldestFirst.subList(oldestFirst.size() - limit, oldestFirst.size()), true);
    }
}
