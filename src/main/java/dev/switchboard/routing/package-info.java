/**
 * Routing: the {@link dev.switchboard.routing.Bus} carries a ready-encoded frame to every node that
 * has a socket for its room or user. In-process on a standalone node; over RabbitMQ in a cluster.
 */
package dev.switchboard.routing;
