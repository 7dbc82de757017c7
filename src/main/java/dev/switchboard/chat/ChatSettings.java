package dev.switchboard.chat;

import static dev.switchboard.node.SettingCheck.require;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the chat feature, checked once at start. */
@ApplicationScoped
public class ChatSettings {
    /** The contract's frame limit: a bigger frame closes the socket with 1009. */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    /** The answer past one of the per-window limits: {@code rate_limited}, with when to retry. */
    static SwitchboardException rateLimited(int limit, String what, long retryAfterMs) {
        return new SwitchboardException(
                ErrorCode.RATE_LIMITED,
                "more than " + limit + " " + what + " in " + RATE_WINDOW.toSeconds() + " s",
                retryAfterMs);
    }

    @Inject
    @ConfigProperty(name = "switchboard.chat.max-text", defaultValue = "4000")
    int maxText;

    @Inject
    @ConfigProperty(name = "switchboard.chat.rate", defaultValue = "50")
    int rate;

    @Inject
    @ConfigProperty(name = "switchboard.ws.max-backlog", defaultValue = "1000")
    int maxBacklog;

    @Inject
    @ConfigProperty(name = "switchboard.ws.max-rooms", defaultValue = "100")
    int maxRooms;

    @Inject
    @ConfigProperty(name = "switchboard.ws.max-sockets-per-user", defaultValue = "20")
    int maxSocketsPerUser;

    @Inject
    @ConfigProperty(name = "switchboard.ws.control-rate", defaultValue = "100")
    int controlRate;

    @PostConstruct
    void check() {
        require(
                maxText >= 1 && maxText <= 60_000,
                "switchboard.chat.max-text must be 1..60000 characters, is " + maxText);
        require(rate >= 0, "switchboard.chat.rate must be >= 0 (0 = off), is " + rate);
        require(maxBacklog >= 1, "switchboard.ws.max-backlog must be >= 1 frame, is " + maxBacklog);
        require(maxRooms >= 1, "switchboard.ws.max-rooms must be >= 1, is " + maxRooms);
        require(
                maxSocketsPerUser >= 1,
                "switchboard.ws.max-sockets-per-user must be >= 1, is " + maxSocketsPerUser);
        require(
                controlRate >= 0 && controlRate <= ControlRate.MAX_LIMIT,
                "switchboard.ws.control-rate must be 0.."
                        + ControlRate.MAX_LIMIT
                        + " frames per 10 s (0 = off), is "
                        + controlRate);
    }

    int maxText() {
        return maxText;
    }

    int rate() {
        return rate;
    }

    int maxBacklog() {
        return maxBacklog;
    }

    int maxRooms() {
        return maxRooms;
    }

    public int maxSocketsPerUser() {
        return maxSocketsPerUser;
    }

    /**
     * Control frames (join, leave, typing, status, history) per socket per {@link #RATE_WINDOW}; 0
     * = off.
     */
    int controlRate() {
        return controlRate;
    }
}
