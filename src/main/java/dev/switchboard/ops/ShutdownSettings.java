package dev.switchboard.ops;

import dev.switchboard.node.SettingCheck;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the graceful stop, checked once at start. */
@ApplicationScoped
public class ShutdownSettings {
    /**
     * Most seconds the node may report not ready before it stops: the rest of the 10 s stop budget
     * drains.
     */
    static final int MAX_READY_DELAY = 5;

    @Inject
    @ConfigProperty(name = "switchboard.shutdown.ready-delay", defaultValue = "2")
    int readyDelaySeconds;

    @PostConstruct
    void check() {
        SettingCheck.require(
                readyDelaySeconds >= 0 && readyDelaySeconds <= MAX_READY_DELAY,
                "switchboard.shutdown.ready-delay must be 0.."
                        + MAX_READY_DELAY
                        + " s (0 = off), is "
                        + readyDelaySeconds);
    }

    /**
     * How long a node that got SIGTERM reports not ready, still serving its sockets, before it
     * closes them and stops.
     */
    public Duration readyDelay() {
        return Duration.ofSeconds(readyDelaySeconds);
    }
}
