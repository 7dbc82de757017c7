package dev.switchboard.presence;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/presence?user=a&user=b}: the status of each named user. */
@Path("presence")
public class PresenceResource {
    private static final int MAX_USERS = 200;

    @Inject PresenceStore presence;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject presence(@QueryParam("user") List<String> users) {
        if (users == null || users.isEmpty())
            throw new SwitchboardException(
                    ErrorCode.BAD_REQUEST, "at least one user parameter is required");
        if (users.size() > MAX_USERS)
            throw new SwitchboardException(
                    ErrorCode.BAD_REQUEST, "at most " + MAX_USERS + " users per request");
        var result = Json.createObjectBuilder();
        for (String user : users) {
            result.add(user, presence.status(new UserId(user)).wire());
        }
        return result.build();
    }
}
