/**
 * Orders: the {@code /api/orders} resource, order and item entities, the transactional outbox and
 * its relay, the order events on the broker (or in process), the processor that confirms or fails
 * each order, the notifications that tell the user's sockets, and the order cache.
 */
package dev.switchboard.orders;
