/**
 * The one place that knows the WebSocket container's internals (Payara's Tyrus, Grizzly and
 * Catalina), behind {@link dev.switchboard.transport.SocketTransport}: a socket's frames written
 * once-encoded, its idle timer off, its handshake released; the portable Jakarta WebSocket path
 * wherever that is not verified. May use the Jakarta APIs, MicroProfile Config and, by reflection
 * or linking, the container; imports no feature package ({@code chat} calls it, not the reverse).
 *
 * <p>Every private member touched (read unless marked), as of Payara Micro 6.2025.10:
 *
 * <ul>
 *   <li>Tyrus core 2.1.5.payara-p2: {@code TyrusSession.service} (written, not final), {@code
 *       TyrusRemoteEndpoint.webSocket}, {@code TyrusWebSocket.protocolHandler}, {@code
 *       ProtocolHandler.writer}
 *   <li>Tyrus servlet: {@code TyrusServletWriter.tyrusHttpUpgradeHandler}, {@code
 *       TyrusHttpUpgradeHandler.getWebConnection()} (method), {@code
 *       TyrusHttpUpgradeHandler.upgradeInfo} (written: null), {@code
 *       TyrusServletUpgrade$TyrusHttpUpgradeHandlerProxy.handler}
 *   <li>Catalina (Payara web-core): {@code WebConnectionImpl.request}
 *   <li>Grizzly 4.0.2.payara-p2: {@code Parameters.tmpNameC}, {@code Parameters.tmpValueC}, {@code
 *       Parameters.decodedQuery}, {@code MimeHeaders.headers} (written: a new empty array); and by
 *       name, the filter classes of the HTTP listener ({@code PlainHttpChain})
 * </ul>
 *
 * No final field is ever written: {@code ContainerFields} refuses it.
 */
package dev.switchboard.transport;
