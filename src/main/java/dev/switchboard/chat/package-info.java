/**
 * The socket side of the contract: the {@code /ws} endpoint and {@link
 * dev.switchboard.chat.ChatService}, its entry; frame decoding and encoding, the per-socket
 * outbound queue, this node's sockets; one class per job (frame dispatch, rooms, messages in,
 * history reads, socket lifecycle and sweeping) and the fan-out of stored batches. Uses history,
 * routing, presence, rooms, limits, auth, node and transport (the container, only through {@code
 * SocketTransport}; no reflection here); none of them uses chat (they reach it through ports it
 * implements: BatchFanOut, LocalDelivery, NodeSockets).
 */
package dev.switchboard.chat;
