package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.it.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthSettingsTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "CHANGE-ME-at-least-32-bytes-of-random-data", // deploy/kubernetes/switchboard.yaml's
                "our-production-secret-changeme-please-0001",
                "our-production-secret-Change_Me-please-0001",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "00000000000000000000000000000000"
            })
    void a_placeholder_secret_refuses_the_start_and_says_how_to_make_one(String placeholder) {
        var refused =
                assertThrows(
                        IllegalStateException.class, () -> AuthSettings.checkSecret(placeholder));
        assertTrue(refused.getMessage().contains("switchboard.jwt.secret"), refused.getMessage());
        assertTrue(
                refused.getMessage().contains("head -c 48 /dev/urandom | base64"),
                refused.getMessage());
        assertTrue(
                !refused.getMessage().contains(placeholder),
                "the message does not repeat the secret");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                TestTokens.SECRET,
                "bench-secret-bench-secret-bench-secret-0123",
                "kq3J8vX0c7m2Yb1WZr9tHc0Lx5NfA4sPq6uE2dG8iVo="
            })
    void a_real_secret_is_taken_as_its_utf8_bytes(String secret) {
        assertArrayEquals(
                secret.getBytes(StandardCharsets.UTF_8), AuthSettings.checkSecret(secret));
    }

    @Test
    void a_secret_under_32_bytes_is_refused() {
        var refused =
                assertThrows(
                        IllegalStateException.class,
                        () -> AuthSettings.checkSecret("kq3J8vX0c7m2Yb1WZr9tHc0Lx5NfA4s"));
        assertTrue(refused.getMessage().contains("at least 32 bytes"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 301, Integer.MAX_VALUE})
    void a_leeway_outside_0_to_300_seconds_refuses_the_start(int leeway) {
        var settings = settings(leeway, null, null);
        var refused = assertThrows(IllegalStateException.class, settings::check);
        assertTrue(refused.getMessage().contains("switchboard.jwt.leeway"), refused.getMessage());
    }

    @Test
    void the_claim_rules_carry_leeway_issuer_and_audience_and_blank_means_unset() {
        var set = settings(300, " https://id.example ", "switchboard");
        set.check();
        assertEquals(new ClaimRules(300, "https://id.example", "switchboard"), set.claimRules());
        var blank = settings(0, " ", "");
        blank.check();
        assertNull(blank.claimRules().issuer());
        assertNull(blank.claimRules().audience());
    }

    private static AuthSettings settings(int leeway, String issuer, String audience) {
        var settings = new AuthSettings();
        settings.configuredSecret = Optional.of(TestTokens.SECRET);
        settings.leewaySeconds = leeway;
        settings.issuer = Optional.ofNullable(issuer);
        settings.audience = Optional.ofNullable(audience);
        settings.devTokenTtlSeconds = 3600;
        settings.allowedOrigins = Optional.empty();
        return settings;
    }
}
