package dev.switchboard.auth;

import dev.switchboard.ErrorCode;
import dev.switchboard.JsonCodec;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Timestamps;
import dev.switchboard.UserId;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/auth/token}: tokens for development and the bundled page, only while dev tokens
 * are on.
 */
@Path("auth/token")
public class DevTokenResource {
    @Inject AuthSettings settings;
    @Inject TokenVerifier verifier;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject issue(String text) {
        if (!settings.devTokens())
            throw new SwitchboardException(ErrorCode.NOT_FOUND, "dev tokens are off");
        // read here rather than bound by the runtime, whose parse failures were 500s
        JsonObject body = JsonCodec.objectOrNull(text);
        if (body == null)
            throw new SwitchboardException(
                    ErrorCode.BAD_REQUEST, "the body must be a JSON object with a user");
        if (!(body.get("user") instanceof JsonString user)) {
            throw new SwitchboardException(
                    ErrorCode.BAD_REQUEST, "user is required and must be a string");
        }
        JsonValue given = body.get("name");
        if (given != null && given != JsonValue.NULL && !(given instanceof JsonString)) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "name must be a string");
        }
        String name =
                given instanceof JsonString n && !n.getString().isBlank()
                        ? n.getString()
                        : user.getString();
        if (name.length() > TokenVerifier.MAX_DISPLAY_NAME) {
            throw new SwitchboardException(
                    ErrorCode.BAD_REQUEST, "name is longer than " + TokenVerifier.MAX_DISPLAY_NAME);
        }
        var issued = verifier.issue(new UserId(user.getString()), name, null);
        return Json.createObjectBuilder()
                .add("token", issued.token())
                .add("expiresAt", Timestamps.format(issued.expiresAt()))
                .build();
    }
}
