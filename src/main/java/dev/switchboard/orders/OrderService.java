package dev.switchboard.orders;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.node.Counters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The orders boundary: the contract's rules for placing and reading orders. */
@ApplicationScoped
public class OrderService {
    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    @Inject OrderSettings settings;
    @Inject OrderStore store;
    @Inject OrderCache cache;
    @Inject OrderEvents events;
    @Inject OutboxRelay relay;
    @Inject RateLimiter rateLimiter;
    @Inject Counters counters;
    @Inject MeterRegistry registry;

    private Counter cacheHits;
    private Counter cacheMisses;

    @PostConstruct
    void register() {
        cacheHits =
                Counter.builder("switchboard.orders.cache")
                        .tag("result", "hit")
                        .description("GET /api/orders/{id} answered from the cache")
                        .register(registry);
        cacheMisses =
                Counter.builder("switchboard.orders.cache")
                        .tag("result", "miss")
                        .description("GET /api/orders/{id} read from the database")
                        .register(registry);
    }

    /**
     * A validated request becomes a pending order of the caller; its {@code order.created} follows
     * through the outbox.
     */
    public Order place(AuthenticatedUser caller, OrderRequest request) {
        UserId owner = new UserId(request.userId);
        if (!owner.equals(caller.id()))
            throw new SwitchboardException(
                    ErrorCode.FORBIDDEN, "orders can only be placed for the token's own user");
        if (settings.rate() > 0) {
            long retryAfter =
                    rateLimiter.tryAcquire("orders:" + owner.value(), settings.rate(), RATE_WINDOW);
            if (retryAfter > 0) {
                counters.rateLimited();
                throw new SwitchboardException(
                        ErrorCode.RATE_LIMITED,
                        "more than " + settings.rate() + " orders per minute",
                        retryAfter);
            }
        }
        var items =
                request.items.stream()
                        .map(i -> new Order.Item(i.sku, i.qty.intValueExact(), i.price))
                        .toList();
        Order order = store.create(owner, items, request.total);
        cache.putIfNewer(order);
        relay.wakeUp();
        return order;
    }

    /** The caller's order: from the cache when it has it; another user's order is not found. */
    public Found find(AuthenticatedUser caller, String orderId) {
        Optional<OrderCache.CachedOrder> cached = cache.get(orderId);
        if (cached.isPresent()) {
            cacheHits.increment();
            if (!cached.get().userId().equals(caller.id().value())) throw notFound(orderId);
            return new Found(cached.get().json(), true);
        }
        cacheMisses.increment();
        Order order =
                store.find(orderId)
                        .filter(o -> o.userId().equals(caller.id()))
                        .orElseThrow(() -> notFound(orderId));
        cache.putIfNewer(order);
        return new Found(order.toJson().toString(), false);
    }

    public List<Order> list(AuthenticatedUser caller, UserId user, int limit) {
        if (!user.equals(caller.id()))
            throw new SwitchboardException(
                    ErrorCode.FORBIDDEN, "orders of another user cannot be listed");
        return store.byUser(user, limit);
    }

    /** Figures for the metrics: orders per status, whole store. */
    public Map<OrderStatus, Long> countByStatus() {
        return store.countByStatus();
    }

    public long deadLetters() {
        return events.deadLetters();
    }

    private static SwitchboardException notFound(String orderId) {
        return new SwitchboardException(ErrorCode.NOT_FOUND, "no order " + orderId);
    }

    /** An order's JSON and whether the cache had it. */
    public record Found(String json, boolean cacheHit) {}
}
