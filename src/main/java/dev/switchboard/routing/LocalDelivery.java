package dev.switchboard.routing;

/**
 * Port: this node's sockets, where the bus hands each envelope meant for them (chat implements it).
 * Given to the bus when it is made, so no frame arrives before there is somewhere to put it and
 * nothing registers itself with the bus at run time.
 */
public interface LocalDelivery {
    /**
     * Runs on the publisher's thread for this node's own frames, on the broker consumer's for the
     * others'.
     */
    void deliver(Envelope envelope);
}
