package dev.switchboard.presence;

import java.time.Instant;

/** A live node as {@code /stats} shows it. */
public record NodeInfo(String id, int connections, Instant startedAt) {}
