/**
 * Cluster mode: its settings and the two shared connections (a Redis pool, a RabbitMQ connection)
 * that the networked adapters of every feature use. A node is clustered when both {@code
 * switchboard.redis.uri} and {@code switchboard.rabbitmq.uri} are set, and refuses to start with
 * only one of them. Also the broker work queue with retries, backoff and dead-lettering ({@code
 * WorkQueue}) that the persister and the order processor share.
 */
package dev.switchboard.cluster;
