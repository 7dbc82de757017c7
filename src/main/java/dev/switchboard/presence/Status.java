package dev.switchboard.presence;

import java.util.Locale;

/**
 * A user's presence as the contract spells it. Clients may set the first three; {@code offline} is
 * derived.
 */
public enum Status {
    ONLINE,
    AWAY,
    BUSY,
    OFFLINE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the status a client may set, or null when the string is not one
     */
    public static Status settable(String wire) {
        return switch (wire == null ? "" : wire) {
            case "online" -> ONLINE;
            case "away" -> AWAY;
            case "busy" -> BUSY;
            default -> null;
        };
    }
}
