package dev.switchboard.auth;

import dev.switchboard.it.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthSettingsTest {
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
