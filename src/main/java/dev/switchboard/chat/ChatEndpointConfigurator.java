package dev.switchboard.chat;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.node.WorkerPools;
import dev.switchboard.transport.SocketTransport;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Makes each connection's {@link ChatEndpoint} with the application's beans, looked up once. Left
 * to the container, every connection got an endpoint built by CDI as a non-contextual instance,
 * whose injection target and creational context (about 1 KiB: injection points, reflective copies
 * of the fields) the container keeps until the socket closes. Handshake checks (origin,
 * subprotocols) stay the container's.
 */
public class ChatEndpointConfigurator extends ServerEndpointConfig.Configurator {
    private volatile Beans beans;

    private record Beans(
            ChatService chat, TokenVerifier tokens, WorkerPools pools, SocketTransport transport) {}

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != ChatEndpoint.class) return super.getEndpointInstance(endpointClass);
        Beans found = beans();
        return endpointClass.cast(
                new ChatEndpoint(found.chat(), found.tokens(), found.pools(), found.transport()));
    }

    private Beans beans() {
        Beans found = beans;
        if (found == null) {
            // application-scoped beans: what is looked up are their proxies, valid for the
            // application's life
            CDI<Object> cdi = CDI.current();
            found =
                    new Beans(
                            cdi.select(ChatService.class).get(),
                            cdi.select(TokenVerifier.class).get(),
                            cdi.select(WorkerPools.class).get(),
                            cdi.select(SocketTransport.class).get());
            beans = found;
        }
        return found;
    }
}
