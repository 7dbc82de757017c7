/**
 * The socket side of the contract: the {@code /ws} endpoint, frame decoding and encoding, the
 * per-socket outbound queue, this node's socket registry, and {@link dev.switchboard.chat.ChatService},
 * which applies the contract's rules by calling rooms, presence, limits, history and routing.
 * Knows the container only through the Jakarta WebSocket API and {@code transport.SocketTransport},
 * which writes each socket's frames; no reflection here.
 */
package dev.switchboard.chat;
