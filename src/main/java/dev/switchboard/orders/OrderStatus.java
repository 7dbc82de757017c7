package dev.switchboard.orders;

import java.util.Locale;

/** An order's lifecycle: {@code pending} until the processor confirms it or gives up on it. */
public enum OrderStatus {
    PENDING,
    CONFIRMED,
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
