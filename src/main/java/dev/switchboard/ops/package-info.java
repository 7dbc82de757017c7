/**
 * Operations: node identity, counters, {@code /stats}, health checks, the graceful stop, error
 * mapping for HTTP.
 */
package dev.switchboard.ops;
