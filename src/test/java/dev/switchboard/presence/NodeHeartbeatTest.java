package dev.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.node.NodeIdentity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat keeps this node registered, and registers its sockets again when the registry
 * forgot it.
 */
class NodeHeartbeatTest {
    private final List<String> calls = new ArrayList<>();
    private final NodeHeartbeat heartbeat = new NodeHeartbeat();

    NodeHeartbeatTest() {
        var settings = new PresenceSettings();
        settings.nodeTimeoutSeconds = 15;
        heartbeat.settings = settings;
        heartbeat.presence = new InMemoryPresenceStore();
        heartbeat.node =
                new NodeIdentity() {
                    @Override
                    public String id() {
                        return "nh-node";
                    }
                };
        heartbeat.sockets =
                new NodeSockets() {
                    @Override
                    public int count() {
                        return 3;
                    }

                    @Override
                    public void registerAgain() {
                        calls.add("register again");
                    }
                };
    }

    @Test
    void a_beat_reports_this_nodes_sockets() {
        heartbeat.beat();
        assertEquals(
                List.of(new NodeInfo("nh-node", 3, heartbeat.node.startedAt())),
                heartbeat.presence.liveNodes());
    }

    @Test
    void the_first_beat_registers_the_node_without_registering_sockets_again() {
        heartbeat.beat();
        heartbeat.beat();
        assertEquals(List.of(), calls);
    }

    @Test
    void a_registry_that_lost_the_node_gets_its_sockets_again_once() {
        heartbeat.beat();
        heartbeat.presence = new InMemoryPresenceStore(); // Redis restarted empty
        heartbeat.beat();
        heartbeat.beat();
        assertEquals(List.of("register again"), calls);
    }
}
