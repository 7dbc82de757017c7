package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** Reads for {@code joined}, {@code history} and the HTTP history: recovery and paging rules. */
@ApplicationScoped
public class HistoryService {
    @Inject MessageStore store;
    @Inject HistorySettings settings;
    @Inject RecentHistory recent;

    /** What a {@code joined} frame carries. {@code recovered} is null when no {@code since} was given. */
    public record JoinHistory(List<RoomMessage> messages, long seq, Boolean recovered) {
    }

    public record Page<T>(List<T> messages, boolean hasMore) {
    }

    /** Remembers stored messages for joins; called after their commit and before they are published. */
    public void remember(List<RoomMessage> stored) {
        recent.append(stored);
    }

    /**
     * Recovery: every message after {@code since} when no more than {@code recover-max} were missed,
     * else the latest page and {@code recovered: false}. Without {@code since}: the latest {@code on-join}.
     * Answered from the recent-history cache when it holds the whole answer, else from the store.
     */
    public JoinHistory onJoin(RoomName room, Long since) {
        List<RoomMessage> kept = kept(room);
        JoinHistory cached = fromRecent(kept, since);
        return cached != null ? cached : fromStore(room, since, kept);
    }

    private List<RoomMessage> kept(RoomName room) {
        try {
            return recent.latest(room);
        } catch (RuntimeException e) {
            return List.of();     // the cache is down: the store still answers
        }
    }

    /** @return the answer from the cache, or null when the cache does not hold all of it */
    private JoinHistory fromRecent(List<RoomMessage> kept, Long since) {
        if (kept.isEmpty()) return null;
        long first = kept.get(0).seq();
        long latest = kept.get(kept.size() - 1).seq();
        if (since == null) {
            if (kept.size() < settings.onJoin() && first > 1) return null;
            return new JoinHistory(kept.subList(Math.max(0, kept.size() - settings.onJoin()), kept.size()), latest, null);
        }
        if (since >= latest) return new JoinHistory(List.of(), latest, true);
        if (first > since + 1 || latest - since > settings.recoverMax()) return null;
        return new JoinHistory(kept.stream().filter(m -> m.seq() > since).toList(), latest, true);
    }

    /**
     * The store's answer, completed with the kept messages it does not have yet: in a cluster the
     * store lags the cache by the messages the persisters have not written (or all of them while
     * the database is down), and a recovery must not miss an acked message for that.
     */
    private JoinHistory fromStore(RoomName room, Long since, List<RoomMessage> kept) {
        long stored = store.maxSeq(room);
        List<RoomMessage> newer = kept.stream().filter(m -> m.seq() > stored).toList();
        long latest = newer.isEmpty() ? stored : newer.get(newer.size() - 1).seq();
        if (since == null) return new JoinHistory(last(concat(store.roomPage(room, null, settings.onJoin()), newer), settings.onJoin()), latest, null);
        if (since >= latest) return new JoinHistory(List.of(), latest, true);
        if (latest - since <= settings.recoverMax()) {
            List<RoomMessage> newerThanSince = newer.stream().filter(m -> m.seq() > since).toList();
            return new JoinHistory(concat(store.roomRange(room, since, stored, settings.recoverMax()), newerThanSince), latest, true);
        }
        return new JoinHistory(last(concat(store.roomRange(room, latest - settings.onJoin(), stored, settings.onJoin()), newer), settings.onJoin()), latest, false);
    }

    private static List<RoomMessage> concat(List<RoomMessage> older, List<RoomMessage> newer) {
        if (newer.isEmpty()) return older;
        List<RoomMessage> all = new java.util.ArrayList<>(older);
        all.addAll(newer);
        return all;
    }

    private static List<RoomMessage> last(List<RoomMessage> messages, int count) {
        return messages.size() <= count ? messages : messages.subList(messages.size() - count, messages.size());
    }

    public Page<RoomMessage> roomPage(RoomName room, Long beforeSeq, int limit) {
        return page(store.roomPage(room, beforeSeq, limit + 1), limit);
    }

    public Page<DirectMessage> conversationPage(UserId me, UserId with, String beforeId, int limit) {
        return page(store.conversationPage(me, with, beforeId, limit + 1), limit);
    }

    /** One more row than asked tells whether there is more; the extra row is the oldest, so it goes. */
    private static <T> Page<T> page(List<T> oldestFirst, int limit) {
        if (oldestFirst.size() <= limit) return new Page<>(oldestFirst, false);
        return new Page<>(oldestFirst.subList(oldestFirst.size() - limit, oldestFirst.size()), true);
    }
}
