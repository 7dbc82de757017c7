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

    /** What a {@code joined} frame carries. {@code recovered} is null when no {@code since} was given. */
    public record JoinHistory(List<RoomMessage> messages, long seq, Boolean recovered) {
    }

    public record Page<T>(List<T> messages, boolean hasMore) {
    }

    /**
     * Recovery: every message after {@code since} when no more than {@code recover-max} were missed,
     * else the latest page and {@code recovered: false}. Without {@code since}: the latest {@code on-join}.
     */
    public JoinHistory onJoin(RoomName room, Long since) {
        long latest = store.maxSeq(room);
        if (since == null) return new JoinHistory(store.roomPage(room, null, settings.onJoin()), latest, null);
        if (since >= latest) return new JoinHistory(List.of(), latest, true);
        if (latest - since <= settings.recoverMax()) {
            return new JoinHistory(store.roomRange(room, since, latest, settings.recoverMax()), latest, true);
        }
        return new JoinHistory(store.roomRange(room, latest - settings.onJoin(), latest, settings.onJoin()), latest, false);
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
