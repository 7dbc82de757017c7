package dev.switchboard.presence;

import static dev.switchboard.node.SettingCheck.require;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the presence feature, checked once at start. */
@ApplicationScoped
public class PresenceSettings {
    @Inject
    @ConfigProperty(name = "switchboard.presence.node-timeout", defaultValue = "15")
    int nodeTimeoutSeconds;

    @PostConstruct
    void check() {
        require(
                nodeTimeoutSeconds >= 3,
                "switchboard.presence.node-timeout must be >= 3 s, is " + nodeTimeoutSeconds);
    }

    public Duration nodeTimeout() {
        return Duration.ofSeconds(nodeTimeoutSeconds);
    }

    /** Five beats per timeout: a node is declared dead a little before the timeout is up. */
    public Duration heartbeatEvery() {
        return nodeTimeout().dividedBy(5);
    }

    /**
     * How long a heartbeat keeps a node alive: the timeout less one beat and one reaper scan, so a
     * dead node's users are reported offline within the timeout.
     */
    public Duration heartbeatTtl() {
        return nodeTimeout().minus(heartbeatEvery()).minus(reapEvery());
    }

    public Duration reapEvery() {
        return Duration.ofSeconds(1);
    }
}
