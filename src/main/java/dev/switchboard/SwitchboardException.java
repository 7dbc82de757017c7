package dev.switchboard;

/**
 * The one exception for every rule of the contract. Thrown deep, translated in two places only: the
 * socket endpoint (an {@code error} frame) and the JAX-RS mapper (problem+json). Carries no cause
 * on purpose: the detail is shown to clients and must never leak internals.
 */
public class SwitchboardException extends RuntimeException {
    private final ErrorCode code;
    private final long retryAfterMs;

    public SwitchboardException(ErrorCode code, String detail) {
        this(code, detail, -1);
    }

    public SwitchboardException(ErrorCode code, String detail, long retryAfterMs) {
        super(detail, null, false, false);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    /**
     * Milliseconds the client should wait before trying again, or -1 when the error is not about
     * time.
     */
    public long retryAfterMs() {
        return retryAfterMs;
    }

    /** The wait as HTTP's {@code Retry-After} writes it: whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMs + 999) / 1000);
    }
}
