/**
 * History: every accepted message, stored before it is acknowledged. Owns the message entities,
 * the schema and its migrations, the group-commit writer that assigns room seqs, recovery and
 * history paging, and the store's datasource (embedded H2 under the data directory, or PostgreSQL).
 */
package dev.switchboard.history;
