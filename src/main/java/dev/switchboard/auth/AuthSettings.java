package dev.switchboard.auth;

import dev.switchboard.cluster.ClusterSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the auth feature, checked once at start. */
@ApplicationScoped
public class AuthSettings {
    private static final Logger LOG = Logger.getLogger(AuthSettings.class.getName());
    private static final int MIN_SECRET_BYTES = 32;
    static final int MAX_LEEWAY_SECONDS = 300;

    @Inject
    @ConfigProperty(name = "switchboard.jwt.secret")
    Optional<String> configuredSecret;

    @Inject
    @ConfigProperty(name = "switchboard.jwt.leeway", defaultValue = "0")
    int leewaySeconds;

    @Inject
    @ConfigProperty(name = "switchboard.jwt.issuer")
    Optional<String> issuer;

    @Inject
    @ConfigProperty(name = "switchboard.jwt.audience")
    Optional<String> audience;

    @Inject
    @ConfigProperty(name = "switchboard.auth.dev-tokens", defaultValue = "false")
    boolean devTokens;

    @Inject
    @ConfigProperty(name = "switchboard.auth.dev-token-ttl", defaultValue = "3600")
    int devTokenTtlSeconds;

    @Inject
    @ConfigProperty(name = "switchboard.ws.allowed-origins")
    Optional<String> allowedOrigins;

    @Inject ClusterSettings cluster;

    private byte[] secret;

    @PostConstruct
    void check() {
        if (configuredSecret.filter(s -> !s.isBlank()).isPresent()) {
            secret = checkSecret(configuredSecret.get());
        } else if (cluster.clustered()) {
            // Nodes of a cluster must share one secret, or tokens from one node fail on the next.
            throw new IllegalStateException(
                    "switchboard.jwt.secret (SWITCHBOARD_JWT_SECRET) must be set in cluster mode");
        } else {
            secret = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            LOG.info(
                    "switchboard.jwt.secret is not set: this standalone node signs and accepts tokens with a random secret made at start");
        }
        if (leewaySeconds < 0 || leewaySeconds > MAX_LEEWAY_SECONDS) {
            throw new IllegalStateException(
                    "switchboard.jwt.leeway must be 0 to "
                            + MAX_LEEWAY_SECONDS
                            + " s, is "
                            + leewaySeconds);
        }
        if (devTokenTtlSeconds < 60) {
            throw new IllegalStateException(
                    "switchboard.auth.dev-token-ttl must be >= 60 s, is " + devTokenTtlSeconds);
        }
    }

    /**
     * @return the secret's bytes, if it is long enough and not a placeholder: a secret copied from
     *     an example (deploy/kubernetes/switchboard.yaml's, say) lets whoever read it sign any
     *     user's token
     */
    static byte[] checkSecret(String configured) {
        byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException(
                    "switchboard.jwt.secret must be at least "
                            + MIN_SECRET_BYTES
                            + " bytes for HS256, is "
                            + bytes.length
                            + "; make one with: head -c 48 /dev/urandom | base64");
        }
        String lower = configured.toLowerCase(Locale.ROOT);
        boolean placeholder =
                lower.contains("change-me")
                        || lower.contains("change_me")
                        || lower.contains("changeme")
                        || configured.chars().distinct().count() == 1;
        if (placeholder) {
            throw new IllegalStateException(
                    "switchboard.jwt.secret (SWITCHBOARD_JWT_SECRET) is a placeholder, not a secret;"
                            + " make one with: head -c 48 /dev/urandom | base64");
        }
        return bytes;
    }

    byte[] secret() {
        return secret;
    }

    ClaimRules claimRules() {
        return new ClaimRules(leewaySeconds, nonBlank(issuer), nonBlank(audience));
    }

    private static String nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }

    public boolean devTokens() {
        return devTokens;
    }

    Duration devTokenTtl() {
        return Duration.ofSeconds(devTokenTtlSeconds);
    }

    /**
     * A handshake without an Origin header (not a browser) is let through, as the contract says.
     */
    public boolean originAllowed(String origin) {
        List<String> allowed =
                allowedOrigins
                        .map(
                                list ->
                                        Arrays.stream(list.split(","))
                                                .map(String::trim)
                                                .filter(o -> !o.isEmpty())
                                                .toList())
                        .orElse(List.of());
        return origin == null || allowed.isEmpty() || allowed.contains(origin);
    }
}
