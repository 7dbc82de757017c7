/** Operations: node identity, counters, {@code /stats}, health checks, error mapping for HTTP. */
package dev.switchboard.ops;
