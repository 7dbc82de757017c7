/**
 * The socket side of the contract: the {@code /ws} endpoint, frame decoding and encoding, the
 * per-socket outbound queue, this node's socket registry, and {@link dev.switchboard.chat.ChatService},
 * which applies the contract's rules by calling rooms, presence, limits, history and routing.
 */
package dev.switchboard.chat;
