package dev.switchboard.ops;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * A readiness check's round trip to a dependency: up with its latency, or down with the error's
 * type.
 */
final class TimedProbe {
    interface RoundTrip {
        void run() throws Exception;
    }

    private TimedProbe() {}

    static HealthCheckResponse run(HealthCheckResponseBuilder response, RoundTrip roundTrip) {
        long start = System.nanoTime();
        try {
            roundTrip.run();
            return response.up()
                    .withData("latencyMs", (System.nanoTime() - start) / 1_000_000)
                    .build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
