package dev.switchboard.chat;

import dev.switchboard.node.WorkerPools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every second, this node's dead sockets go: those whose clients stopped reading are closed with
 * 1013; a socket silent for 30 s is pinged (again every 30 s while it stays silent), and one that
 * answered nothing for 2 minutes is closed with 1001, its client gone without a close. A client
 * that only listens stays connected as long as it answers pings, as browsers and WebSocket
 * libraries do.
 */
@ApplicationScoped
class SocketSweeper {
    /** Silence after which a socket is pinged (and pinged again as long as it stays silent). */
    static final Duration KEEP_ALIVE_AFTER = Duration.ofSeconds(30);

    /**
     * Silence after which a socket is closed: its client answered none of the keep-alive pings, so
     * it is gone without a close (cable pulled). The container's own idle timer is off (see
     * ContainerIdleTimer).
     */
    static final Duration DEAD_AFTER = Duration.ofMinutes(2);

    @Inject LocalSockets local;
    @Inject WorkerPools pools;

    void start(@Observes Startup startup) {
        pools.timers().scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * A client that stopped reading after its last frame was queued gets no offer to trip over:
     * checked here.
     */
    void sweep() {
        for (ClientSocket socket : local.all()) {
            socket.checkStalled();
            if (socket.silentNanos() > DEAD_AFTER.toNanos()) {
                socket.disconnect(
                        CloseCodes.GOING_AWAY,
                        "no answer to pings for " + DEAD_AFTER.toMinutes() + " min");
            } else {
                socket.keepAliveIfSilent(KEEP_ALIVE_AFTER.toNanos());
            }
        }
    }
}
