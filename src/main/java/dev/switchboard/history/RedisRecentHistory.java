package dev.switchboard.history;

import dev.switchboard.JsonCodec;
import dev.switchboard.RoomName;
import dev.switchboard.cluster.Redis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent messages for the whole cluster: {@code sb:recent:<room>} is a list of the room's latest
 * message frames (JSON), trimmed to {@code perRoom} and expiring a day after the room's last
 * message. Nodes append in commit order, which across nodes is not seq order: readers sort. Every
 * command has one key (a pipeline may mix slots), so Redis Cluster needs no hash tag here.
 */
public class RedisRecentHistory implements RecentHistory {
    private static final long TTL_SECONDS = 24 * 3600;

    private final Redis redis;
    private final int perRoom;

    public RedisRecentHistory(Redis redis, int perRoom) {
        this.redis = redis;
        this.perRoom = perRoom;
    }

    @Override
    public void append(List<RoomMessage> stored) {
        if (stored.isEmpty()) return;
        Map<String, List<String>> byRoom = new LinkedHashMap<>();
        for (RoomMessage m : stored)
            byRoom.computeIfAbsent(key(m.room()), k -> new ArrayList<>()).add(m.json());
        redis.call(
                j -> {
                    var p = j.pipelined();
                    byRoom.forEach(
                            (key, frames) -> {
                                p.rpush(key, frames.toArray(String[]::new));
                                p.ltrim(key, -perRoom, -1);
                                p.expire(key, TTL_SECONDS);
                            });
                    p.sync();
                    return null;
                });
    }

    @Override
    public List<RoomMessage> latest(RoomName room) {
        List<RoomMessage> messages = new ArrayList<>();
        for (String frame : redis.call(j -> j.lrange(key(room), 0, -1))) messages.add(parse(frame));
        messages.sort(Comparator.comparingLong(RoomMessage::seq));
        return messages;
    }

    private static RoomMessage parse(String frame) {
        return MessageJson.parseRoom(JsonCodec.reader(frame).readObject());
    }

    private static String key(RoomName room) {
        return "sb:recent:" + room.value();
    }
}
