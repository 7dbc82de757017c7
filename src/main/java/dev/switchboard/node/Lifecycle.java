package dev.switchboard.node;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether this node is draining: it takes no new sockets and reports itself not ready. */
@ApplicationScoped
public class Lifecycle {
    private volatile boolean draining;

    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }
}
