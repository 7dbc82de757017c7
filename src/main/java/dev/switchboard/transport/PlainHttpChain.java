package dev.switchboard.transport;

import java.util.Set;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;

/**
 * Tells whether a Grizzly filter chain is one through which a write of plain bytes reaches the
 * transport unchanged, so that {@link GrizzlyFrameWriter} may hand frames to the transport's write
 * queue directly instead of walking the chain for each one.
 */
final class PlainHttpChain {
    /**
     * The filters of Payara's plain-HTTP listener, each of which hands a write of plain bytes on to
     * the next one untouched (read in their code, Payara 6.2025.10): the codecs act only on HTTP
     * packets and Grizzly's own WebSocket frames, and the idle-timeout filter only counts the write
     * (an upgraded connection never times out there: its upgrade request stays in progress).
     */
    private static final Set<String> PASS_THROUGH =
            Set.of(
                    "org.glassfish.grizzly.filterchain.TransportFilter",
                    "org.glassfish.grizzly.nio.transport.TCPNIOTransportFilter",
                    "org.glassfish.grizzly.utils.IdleTimeoutFilter",
                    "com.sun.enterprise.v3.services.impl.GlassfishNetworkListener$GlassfishHttpCodecFilter",
                    "org.glassfish.grizzly.http.HttpServerFilter",
                    "org.glassfish.grizzly.http2.Http2ServerFilter",
                    "org.glassfish.grizzly.http.server.FileCacheFilter",
                    "org.glassfish.grizzly.extras.addons.WebSocketAddOnProvider$GlassfishWebSocketFilter",
                    "org.glassfish.grizzly.http.server.HttpServerFilter");

    private PlainHttpChain() {}

    /**
     * Whether every filter of the chain passes a write of plain bytes on untouched, so that a frame
     * can go straight to the transport's write queue. On a chain with anything else (TLS above all,
     * which must encrypt the frame) frames go through the chain.
     */
    static boolean passesBytesThrough(FilterChain chain) {
        for (Filter filter : chain) {
            if (!PASS_THROUGH.contains(filter.getClass().getName())) return false;
        }
        return true;
    }
}
