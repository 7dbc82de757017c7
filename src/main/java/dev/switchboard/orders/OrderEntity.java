package dev.switchboard.orders;

import dev.switchboard.UserId;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A row of {@code orders} with its lines in {@code order_item}. */
@Entity
@Table(name = "orders")
public class OrderEntity {
    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "user_id", nullable = false, length = 64)
    private String userId;

    @Column(nullable = false, precision = 19, scale = 4)
    private BigDecimal total;

    @Column(nullable = false, length = 16)
    private String status;

    @Column(name = "created_ms", nullable = false)
    private long createdMs;

    @Column(name = "updated_ms", nullable = false)
    private long updatedMs;

    @Version private long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_item", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line")
    private List<Line> items = new ArrayList<>();

    /** One line of an order. */
    @Embeddable
    public static class Line {
        @Column(nullable = false, length = 64)
        private String sku;

        @Column(nullable = false)
        private int qty;

        @Column(nullable = false, precision = 19, scale = 4)
        private BigDecimal price;

        protected Line() {}

        Line(String sku, int qty, BigDecimal price) {
            this.sku = sku;
            this.qty = qty;
            this.price = price;
        }
    }

    protected OrderEntity() {}

    OrderEntity(String id, UserId user, List<Line> items, BigDecimal total, Instant now) {
        this.id = id;
        this.userId = user.value();
        this.items = new ArrayList<>(items);
        this.total = total;
        this.status = OrderStatus.PENDING.name();
        this.createdMs = now.toEpochMilli();
        this.updatedMs = createdMs;
    }

    OrderStatus status() {
        return OrderStatus.valueOf(status);
    }

    void moveTo(OrderStatus next, Instant now) {
        status = next.name();
        updatedMs = now.toEpochMilli();
    }

    Order toOrder() {
        return new Order(
                id,
                new UserId(userId),
                items.stream().map(l -> new Order.Item(l.sku, l.qty, l.price)).toList(),
                total,
                status(),
                Instant.ofEpochMilli(createdMs),
                Instant.ofEpochMilli(updatedMs),
                version);
    }
}
