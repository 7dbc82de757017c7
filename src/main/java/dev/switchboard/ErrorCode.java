package dev.switchboard;

/**
 * The contract's error codes (PROTOCOL.md, "Limits and errors"), with the HTTP status each maps to.
 */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    INVALID_NAME("invalid_name", 400),
    NOT_MEMBER("not_member", 403),
    FORBIDDEN("forbidden", 403),
    EMPTY_MESSAGE("empty_message", 400),
    TOO_LARGE("too_large", 400),
    RATE_LIMITED("rate_limited", 429),
    /** A socket's join past {@code switchboard.ws.max-rooms} (PROTOCOL.md section 4). */
    TOO_MANY_ROOMS("too_many_rooms", 429),
    /**
     * A user's socket past {@code switchboard.ws.max-sockets-per-user}: the close reason, or a
     * handshake 429.
     */
    TOO_MANY_SOCKETS("too_many_sockets", 429),
    UNAUTHORIZED("unauthorized", 401),
    NOT_FOUND("not_found", 404),
    UNAVAILABLE("unavailable", 503),
    INTERNAL("internal", 500);

    private final String wire;
    private final int httpStatus;

    ErrorCode(String wire, int httpStatus) {
        this.wire = wire;
        this.httpStatus = httpStatus;
    }

    public String wire() {
        return wire;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
