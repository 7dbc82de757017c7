package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 4: with an issuer and an audience set, every token must name both, at the
 * handshake and as a Bearer token.
 */
class IssuerAudienceIT {
    private static final String ISSUER = "https://id.example.test/realms/team";
    private static final String AUDIENCE = "switchboard";

    private static SwitchboardNode node;

    @BeforeAll
    static void start() {
        node =
                SwitchboardNode.create(
                                "iss-aud-node",
                                Map.of(
                                        "SWITCHBOARD_JWT_SECRET", TestTokens.SECRET,
                                        "SWITCHBOARD_JWT_ISSUER", ISSUER,
                                        "SWITCHBOARD_JWT_AUDIENCE", AUDIENCE))
                        .start();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.stop();
    }

    @Test
    void a_token_is_accepted_only_with_the_configured_issuer_and_audience() {
        assertAnswers(200, claims().add("iss", ISSUER).add("aud", AUDIENCE), "iss and aud as set");
        assertAnswers(
                200,
                claims().add("iss", ISSUER)
                        .add("aud", Json.createArrayBuilder().add("other").add(AUDIENCE)),
                "aud an array holding it");
        assertAnswers(401, claims().add("aud", AUDIENCE), "no iss");
        assertAnswers(
                401, claims().add("iss", ISSUER + "/other").add("aud", AUDIENCE), "another iss");
        assertAnswers(401, claims().add("iss", ISSUER), "no aud");
        assertAnswers(
                401,
                claims().add("iss", ISSUER).add("aud", Json.createArrayBuilder().add("other")),
                "aud an array without it");
        assertAnswers(
                401, claims().add("iss", ISSUER).add("aud", "Switchboard"), "aud in another case");
    }

    private static JsonObjectBuilder claims() {
        return Json.createObjectBuilder()
                .add("sub", Unique.name("idp-user"))
                .add("exp", Instant.now().plusSeconds(600).getEpochSecond());
    }

    /** The same verdict at the handshake (101 or 401) and for a Bearer request (200 or 401). */
    private static void assertAnswers(int http, JsonObjectBuilder claims, String what) {
        String token =
                TestTokens.sign(
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims.build(), TestTokens.SECRET);
        assertEquals(
                http == 200 ? 101 : 401,
                WsClient.handshakeStatus(node.wsUri(token), null),
                "handshake, " + what);
        assertEquals(
                http,
                node.get("/api/presence?user=" + Unique.name("anyone"), token).statusCode(),
                "Bearer, " + what);
    }
}
