package dev.switchboard.history;

import dev.switchboard.RoomName;
import dev.switchboard.UserId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "room_message")
class RoomMessageEntity {
    @Id String id;
    String room;
    long seq;
    String sender;

    @Column(name = "sender_name")
    String senderName;

    String body;

    @Column(name = "ts_ms")
    long tsMillis;

    String node;

    protected RoomMessageEntity() {}

    RoomMessageEntity(RoomMessage m) {
        id = m.id();
        room = m.room().value();
        seq = m.seq();
        sender = m.from().value();
        senderName = m.name();
        body = m.text();
        tsMillis = m.ts().toEpochMilli();
        node = m.node();
    }

    RoomMessage toMessage() {
        return new RoomMessage(
                id,
                new RoomName(room),
                seq,
                new UserId(sender),
                senderName,
                body,
                Instant.ofEpochMilli(tsMillis),
                node);
    }
}
