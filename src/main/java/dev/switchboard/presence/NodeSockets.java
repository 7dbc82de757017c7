package dev.switchboard.presence;

/**
 * Port: this node's open sockets as its heartbeat needs them (chat holds the sockets and implements
 * it), so presence keeps the node registered without depending on chat.
 */
public interface NodeSockets {
    /** Sockets open on this node, reported with each heartbeat. */
    int count();

    /**
     * The registry forgot this node (Redis restarted empty): register every open socket's presence
     * and rooms again.
     */
    void registerAgain();
}
