/**
 * History: every accepted message, stored before it is acknowledged. Owns the message values
 * ({@link dev.switchboard.history.ChatMessage}), the entities, the schema and its migrations, the
 * group-commit writer that assigns room seqs and hands each stored batch to the fan-out port
 * ({@link dev.switchboard.history.BatchFanOut}, implemented in chat), recovery and history paging,
 * and the store's datasource (embedded H2 under the data directory, or PostgreSQL). Never uses
 * chat.
 */
package dev.switchboard.history;
