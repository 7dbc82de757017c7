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

/** Checks tokens against the contract's section 1 and issues development tokens. */
@ApplicationScoped
public class TokenVerifier {
    static final int MAX_DISPLAY_NAME = 100;

    @Inject AuthSettings settings;

    private HmacJwt jwt;
    private Clock clock = Clock.systemUTC();

    TokenVerifier() {
    }

    /** For unit tests: a verifier with a fixed secret and clock. */
    TokenVerifier(byte[] secret, Clock clock) {
        this.jwt = new HmacJwt(secret);
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        jwt = new HmacJwt(settings.secret());
    }

    public AuthenticatedUser verify(String token) throws InvalidTokenException {
        JsonObject claims = jwt.verify(token);
        Instant expiresAt = expiry(requireNumber(claims, "exp"));
        if (!expiresAt.isAfter(clock.instant())) throw new InvalidTokenException("token expired");
        String sub = requireString(claims, "sub");
        UserId user = name(() -> new UserId(sub));
        String display = claims.containsKey("name") ? requireString(claims, "name") : user.value();
        if (display.length() > MAX_DISPLAY_NAME) throw new InvalidTokenException("name claim longer than " + MAX_DISPLAY_NAME);
        return new AuthenticatedUser(user, display, rooms(claims), expiresAt);
    }

    /**
     * The user of a WebSocket handshake: the one {@link WebSocketHandshakeFilter} verified if the
     * handshake's principal is its, else the token's, checked now (a server that runs no filter).
     */
    public AuthenticatedUser verifyHandshake(Principal principal, String token) throws InvalidTokenException {
        if (principal instanceof VerifiedUser verified) return verified.user();
        return verify(token);
    }

    /** @return a signed token and its expiry, for the development endpoint and the tests */
    public Issued issue(UserId user, String displayName, List<RoomName> rooms) {
        // exp has whole seconds: report the expiry the token really carries
        Instant expiresAt = clock.instant().plus(settings == null ? java.time.Duration.ofHours(1) : settings.devTokenTtl())
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var claims = JsonCodec.objectBuilder()
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

    public record Issued(String token, Instant expiresAt) {
    }

    /** Seconds since the epoch as a whole number in Instant's range; anything else is a malformed token. */
    private static Instant expiry(JsonNumber exp) throws InvalidTokenException {
        try {
            return Instant.ofEpochSecond(exp.bigDecimalValue().longValueExact());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw new InvalidTokenException("exp claim is not a valid time");
        }
    }

    private static Set<RoomName> rooms(JsonObject claims) throws InvalidTokenException {
        JsonValue value = claims.get("rooms");
        if (value == null || value == JsonValue.NULL) return null;
        if (!(value instanceof JsonArray array)) throw new InvalidTokenException("rooms claim must be an array");
        Set<RoomName> rooms = new HashSet<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString s)) throw new InvalidTokenException("rooms claim must hold room names");
            rooms.add(name(() -> new RoomName(s.getString())));
        }
        return Set.copyOf(rooms);
    }

    private static String requireString(JsonObject claims, String claim) throws InvalidTokenException {
        if (!(claims.get(claim) instanceof JsonString s)) throw new InvalidTokenException(claim + " claim missing or not a string");
        return s.getString();
    }

    private static JsonNumber requireNumber(JsonObject claims, String claim) throws InvalidTokenException {
        if (!(claims.get(claim) instanceof JsonNumber n)) throw new InvalidTokenException(claim + " claim missing or not a number");
        return n;
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
