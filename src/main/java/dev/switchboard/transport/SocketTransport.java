package dev.switchboard.transport;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one door from chat to the WebSocket container. With {@code switchboard.ws.shared-frames=true}
 * (the default) on a Payara whose versions this package was verified on ({@link ContainerVersion}),
 * it reaches into Tyrus, Grizzly and Catalina (every field: package-info) for speed; anywhere else,
 * with the switch off, or once a step by reflection fails, it uses the Jakarta WebSocket API alone
 * ({@code sendText}) and says so in one log line.
 */
@ApplicationScoped
public class SocketTransport {
    private static final Logger LOG = Logger.getLogger(SocketTransport.class.getName());

    /**
     * The container-specific path for a socket; null from it: this socket takes the portable one.
     */
    interface ContainerPath {
        FrameWriter open(Session session) throws ReflectiveOperationException;
    }

    @Inject
    @ConfigProperty(name = "switchboard.ws.shared-frames", defaultValue = "true")
    boolean sharedFrames;

    /** Null: the portable path for every socket, for good. */
    private volatile ContainerPath container;

    private final AtomicBoolean fellBack = new AtomicBoolean();

    public SocketTransport() {}

    SocketTransport(ContainerPath container) {
        this.container = container;
    }

    /**
     * Made at start, so that the check and its log line come with the node's start, not its first
     * socket.
     */
    void start(@Observes Startup startup) {}

    @PostConstruct
    void check() {
        container =
                choose(
                        sharedFrames,
                        () -> ContainerVersion.found(SocketTransport.class.getClassLoader()),
                        SocketTransport::payara);
    }

    static ContainerPath payara() {
        try {
            return PayaraSockets.resolve()::open;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new IllegalStateException(e.toString(), e);
        }
    }

    /**
     * The rule, applied once at start: the container's internals only with the switch on, on a
     * verified version, and with all of them found; else null (portable). Logs one line either way.
     */
    static ContainerPath choose(
            boolean sharedFrames,
            Supplier<ContainerVersion> found,
            Supplier<ContainerPath> resolve) {
        if (!sharedFrames) {
            LOG.info(
                    "WebSocket transport: portable (sendText), as switchboard.ws.shared-frames=false");
            return null;
        }
        ContainerVersion version = found.get();
        if (!version.verified()) {
            LOG.info(
                    "WebSocket transport: portable (sendText): found "
                            + version
                            + ", verified only on "
                            + ContainerVersion.VERIFIED);
            return null;
        }
        try {
            ContainerPath path = resolve.get();
            LOG.info(
                    "WebSocket transport: shared frames through the container's internals ("
                            + version
                            + ")");
            return path;
        } catch (RuntimeException | LinkageError e) {
            LOG.info(
                    "WebSocket transport: portable (sendText): "
                            + version
                            + " lacks a field this was written for: "
                            + e.getMessage());
            return null;
        }
    }

    /**
     * Tunes a newly opened socket (the container's idle timer off: chat.SocketSweeper watches
     * sockets) and lets go of what its handshake left; call first thing in {@code @OnOpen}.
     *
     * @return how this socket's text frames are to be written
     */
    public FrameWriter open(Session session) {
        ContainerPath path = container;
        if (path != null) {
            try {
                FrameWriter writer = path.open(session);
                if (writer != null) return writer;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                fallBack(e);
            }
        }
        session.setMaxIdleTimeout(0);
        return new PortableFrameWriter(session);
    }

    private void fallBack(Throwable failure) {
        container = null;
        if (!fellBack.getAndSet(true))
            LOG.warning(
                    "WebSocket transport: portable (sendText) from now on: reaching into the container failed: "
                            + failure);
    }
}
