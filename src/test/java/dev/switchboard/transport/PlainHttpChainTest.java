package dev.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.ssl.SSLFilter;
import org.glassfish.grizzly.utils.DelayedExecutor;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;
import org.junit.jupiter.api.Test;

class PlainHttpChainTest {
    private final DelayedExecutor timer =
            new DelayedExecutor(
                    Executors.newSingleThreadExecutor(
                            r -> {
                                Thread t = new Thread(r, "idle-timeout-test");
                                t.setDaemon(true);
                                return t;
                            }));

    @Test
    void a_chain_of_filters_that_pass_bytes_on_lets_frames_skip_it() {
        var chain =
                FilterChainBuilder.stateless()
                        .add(new TransportFilter())
                        .add(new IdleTimeoutFilter(timer, 30, TimeUnit.SECONDS))
                        .build();
        assertTrue(PlainHttpChain.passesBytesThrough(chain));
    }

    @Test
    void a_chain_with_tls_keeps_frames_in_it_so_they_are_encrypted() {
        var chain =
                FilterChainBuilder.stateless()
                        .add(new TransportFilter())
                        .add(new SSLFilter())
                        .add(new IdleTimeoutFilter(timer, 30, TimeUnit.SECONDS))
                        .build();
        assertFalse(PlainHttpChain.passesBytesThrough(chain));
    }

    @Test
    void a_chain_with_a_filter_not_known_to_pass_bytes_on_keeps_frames_in_it() {
        var chain =
                FilterChainBuilder.stateless()
                        .add(new TransportFilter())
                        .add(new BaseFilter() {})
                        .build();
        assertFalse(PlainHttpChain.passesBytesThrough(chain));
    }
}
