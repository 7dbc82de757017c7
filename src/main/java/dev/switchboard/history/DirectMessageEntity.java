package dev.switchboard.history;

import dev.switchboard.UserId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "direct_message")
class DirectMessageEntity {
    @Id String id;
    String conversation;
    String sender;

    @Column(name = "sender_name")
    String senderName;

    String recipient;
    String body;

    @Column(name = "ts_ms")
    long tsMillis;

    String node;

    protected DirectMessageEntity() {}

    DirectMessageEntity(DirectMessage m) {
        id = m.id();
        conversation = DirectMessage.conversation(m.from(), m.to());
        sender = m.from().value();
        senderName = m.name();
        recipient = m.to().value();
        body = m.text();
        tsMillis = m.ts().toEpochMilli();
        node = m.node();
    }

    DirectMessage toMessage() {
        return new DirectMessage(
                id,
                new UserId(sender),
                senderName,
                new UserId(recipient),
                body,
                Instant.ofEpochMilli(tsMillis),
                node);
    }
}
