package dev.switchboard.orders;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code order_outbox}: an event written with the change it describes, until the relay has
 * published it.
 */
@Entity
@Table(name = "order_outbox")
public class OutboxEventEntity {
    @Id
    @Column(length = 36)
    private String id;

    @Column(nullable = false, length = 32)
    private String event;

    @Column(name = "order_id", nullable = false, length = 36)
    private String orderId;

    @Column(name = "user_id", nullable = false, length = 64)
    private String userId;

    @Column(nullable = false)
    private String payload;

    @Column(name = "created_ms", nullable = false)
    private long createdMs;

    protected OutboxEventEntity() {}

    OutboxEventEntity(OrderEvent event) {
        this.id = event.id();
        this.event = event.event();
        this.orderId = event.orderId();
        this.userId = event.userId();
        this.payload = event.order();
        this.createdMs = event.createdMs();
    }
}
