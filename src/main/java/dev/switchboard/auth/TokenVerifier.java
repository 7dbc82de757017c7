package dev.switchboard.auth;

import dev.switchboard.JsonCodec;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks tokens against the contract's sections 1 and 4 and issues development tokens. */
@ApplicationScoped
public class TokenVerifier {
    static final int MAX_DISPLAY_NAME = 100;

    /**
     * Latest time claim taken (some 300 million years): the arithmetic on it stays far inside
     * Instant and long.
     */
    static final long MAX_EPOCH_SECOND = 10_000_000_000_000_000L;

    @Inject AuthSettings settings;

    private HmacJwt jwt;
    private ClaimRules rules = ClaimRules.NONE;
    private Clock clock = Clock.systemUTC();

    TokenVerifier() {}

    /** For unit tests: a verifier with a fixed secret and clock. */
    TokenVerifier(byte[] secret, Clock clock) {
        this(secret, clock, ClaimRules.NONE);
    }

    /** For unit tests: a verifier with a fixed secret, clock and claim rules. */
    TokenVerifier(byte[] secret, Clock clock, ClaimRules rules) {
        this.jwt = new HmacJwt(secret);
        this.clock = clock;
        this.rules = rules;
    }

    @PostConstruct
    void init() {
        jwt = new HmacJwt(settings.secret());
        rules = settings.claimRules();
    }

    /**
     * @return the token's user; its {@code expiresAt} is {@code exp} plus the leeway, the moment
     *     this node stops accepting the token
     */
    public AuthenticatedUser verify(String token) throws InvalidTokenException {
        JsonObject claims = jwt.verify(token);
        Instant now = clock.instant();
        long leeway = rules.leewaySeconds();
        Instant expiresAt = time(claims, "exp").plusSeconds(leeway);
        if (!expiresAt.isAfter(now)) throw new InvalidTokenException("token expired");
        if (claims.containsKey("nbf") && time(claims, "nbf").minusSeconds(leeway).isAfter(now)) {
            throw new InvalidTokenException("token not valid yet (nbf)");
        }
        if (claims.containsKey("iat") && time(claims, "iat").minusSeconds(leeway).isAfter(now)) {
            throw new InvalidTokenException("token issued in the future (iat)");
        }
        if (rules.issuer() != null
                && !(claims.get("iss") instanceof JsonString iss
                        && iss.getString().equals(rules.issuer()))) {
            throw new InvalidTokenException("iss claim is not this node's issuer");
        }
        if (rules.audience() != null && !audienceContains(claims.get("aud"), rules.audience())) {
            throw new InvalidTokenException("aud claim does not name this node's audience");
        }
        String sub = requireString(claims, "sub");
        UserId user = name(() -> new UserId(sub));
        String display = claims.containsKey("name") ? requireString(claims, "name") : user.value();
        if (display.length() > MAX_DISPLAY_NAME)
            throw new InvalidTokenException("name claim longer than " + MAX_DISPLAY_NAME);
        return new AuthenticatedUser(user, display, rooms(claims), expiresAt);
    }

    /**
     * The user of a WebSocket handshake: the one {@code chat.WebSocketHandshakeFilter} verified if
     * the handshake's principal is its, else the token's, checked now (a server that runs no
     * filter).
     */
    public AuthenticatedUser verifyHandshake(Principal principal, String token)
            throws InvalidTokenException {
        if (principal instanceof VerifiedUser verified) return verified.user();
        return verify(token);
    }

    /**
     * @return a signed token and its expiry, for the development endpoint and the tests
     */
    public Issued issue(UserId user, String displayName, List<RoomName> rooms) {
        // exp has whole seconds: report the expiry the token really carries
        Instant expiresAt =
                clock.instant()
                        .plus(
                                settings == null
                                        ? java.time.Duration.ofHours(1)
                                        : settings.devTokenTtl())
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var claims =
                JsonCodec.objectBuilder()
                        .add("sub", user.value())
                        .add("name", displayName)
                        .add("exp", expiresAt.getEpochSecond());
        if (rooms != null) {
            var array = JsonCodec.arrayBuilder();
            rooms.forEach(r -> array.add(r.value()));
            claims.add("rooms", array);
        }
        return new Issued(jwt.sign(claims.build()), expiresAt);
    }

    public record Issued(String token, Instant expiresAt) {}

    /**
     * A time claim: whole seconds since the epoch, 0 to {@link #MAX_EPOCH_SECOND}. Anything else (a
     * fraction, a sign, a thousand digits, an exponent of a billion) refuses the token.
     */
    private static Instant time(JsonObject claims, String claim) throws InvalidTokenException {
        if (!(claims.get(claim) instanceof JsonNumber number))
            throw new InvalidTokenException(claim + " claim missing or not a number");
        long seconds;
        try {
            seconds = number.bigDecimalValue().longValueExact();
        } catch (RuntimeException e) { // ArithmeticException, or the JSON-P provider's own limits
            throw new InvalidTokenException(claim + " claim is not a valid time");
        }
        if (seconds < 0 || seconds > MAX_EPOCH_SECOND)
            throw new InvalidTokenException(claim + " claim is not a valid time");
        return Instant.ofEpochSecond(seconds);
    }

    private static boolean audienceContains(JsonValue aud, String audience) {
        if (aud instanceof JsonString s) return s.getString().equals(audience);
        return aud instanceof JsonArray array
                && array.stream()
                        .anyMatch(v -> v instanceof JsonString s && s.getString().equals(audience));
    }

    private static Set<RoomName> rooms(JsonObject claims) throws InvalidTokenException {
        JsonValue value = claims.get("rooms");
        if (value == null || value == JsonValue.NULL) return null;
        if (!(value instanceof JsonArray array))
            throw new InvalidTokenException("rooms claim must be an array");
        Set<RoomName> rooms = new HashSet<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString s))
                throw new InvalidTokenException("rooms claim must hold room names");
            rooms.add(name(() -> new RoomName(s.getString())));
        }
        return Set.copyOf(rooms);
    }

    private static String requireString(JsonObject claims, String claim)
            throws InvalidTokenException {
        if (!(claims.get(claim) instanceof JsonString s))
            throw new InvalidTokenException(claim + " claim missing or not a string");
        return s.getString();
    }

    private interface NameFactory<T> {
        T make();
    }

    private static <T> T name(NameFactory<T> factory) throws InvalidTokenException {
        try {
            return factory.make();
        } catch (SwitchboardException e) {
            throw new InvalidTokenException(e.detail());
        }
    }
}
