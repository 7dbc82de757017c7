/**
 * Routing: the {@link dev.switchboard.routing.Bus} carries a ready-encoded frame to every node that
 * has a socket for its room or user, and hands this node's frames to its {@link
 * dev.switchboard.routing.LocalDelivery} (chat's sockets). In-process on a standalone node; over
 * RabbitMQ in a cluster. Never uses chat.
 */
package dev.switchboard.routing;
