package dev.switchboard.orders;

import static dev.switchboard.node.SettingCheck.require;

import dev.switchboard.cluster.Backoff;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the orders feature ({@code switchboard.orders.*}), checked once at start. */
@ApplicationScoped
public class OrderSettings {
    @Inject
    @ConfigProperty(name = "switchboard.orders.rate", defaultValue = "10")
    int rate;

    @Inject
    @ConfigProperty(name = "switchboard.orders.cache-ttl", defaultValue = "PT1H")
    String cacheTtl;

    @Inject
    @ConfigProperty(name = "switchboard.orders.fail-rate", defaultValue = "0")
    double failRate;

    @Inject
    @ConfigProperty(name = "switchboard.orders.tries", defaultValue = "3")
    int tries;

    @Inject
    @ConfigProperty(name = "switchboard.orders.retry-backoff-ms", defaultValue = "500")
    long retryBackoffMs;

    private Duration ttl;

    @PostConstruct
    void check() {
        require(rate >= 0, "switchboard.orders.rate must be >= 0 (0 = no limit), is " + rate);
        require(
                failRate >= 0 && failRate <= 1,
                "switchboard.orders.fail-rate must be 0..1, is " + failRate);
        require(tries >= 1 && tries <= 10, "switchboard.orders.tries must be 1..10, is " + tries);
        require(
                retryBackoffMs >= 10 && retryBackoffMs <= 600_000,
                "switchboard.orders.retry-backoff-ms must be 10..600000, is " + retryBackoffMs);
        try {
            ttl = Duration.parse(cacheTtl);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "switchboard.orders.cache-ttl must be an ISO-8601 duration such as PT1H, is "
                            + cacheTtl);
        }
        require(
                !ttl.isNegative() && !ttl.isZero(),
                "switchboard.orders.cache-ttl must be positive, is " + cacheTtl);
    }

    /** Orders per user per minute, across the cluster; 0 turns the limit off. */
    int rate() {
        return rate;
    }

    Duration cacheTtl() {
        return ttl;
    }

    /** Share of payment attempts that fail on purpose, for tests and demos. */
    double failRate() {
        return failRate;
    }

    /** Payment attempts before an order is failed and dead-lettered. */
    int tries() {
        return tries;
    }

    /**
     * The tries and their waits: {@code retry-backoff-ms} before the second attempt, doubled for
     * each one after.
     */
    Backoff backoff() {
        return new Backoff(retryBackoffMs, tries);
    }

    /** The wait after {@code failedTries} failed attempts (see {@link Backoff#delayMs}). */
    long backoffMs(int failedTries) {
        return backoff().delayMs(failedTries);
    }
}
