package dev.switchboard.history;

import dev.switchboard.ErrorCode;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.auth.CurrentUser;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/rooms/{room}/messages?before=&limit=}: the {@code history} frame over HTTP. */
@Path("rooms/{room}/messages")
public class HistoryResource {
    @Inject HistoryService history;
    @Inject CurrentUser user;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject messages(
            @PathParam("room") String roomName,
            @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("50") String limit) {
        RoomName room = new RoomName(roomName);
        user.get().requireRoom(room);
        var page =
                history.roomPage(
                        room,
                        before == null || before.isEmpty()
                                ? null
                                : parse(before, "before", 1, Long.MAX_VALUE),
                        (int) parse(limit, "limit", 1, HistorySettings.MAX_PAGE));
        return Json.createObjectBuilder()
                .add("room", room.value())
                .add("messages", MessageJson.rooms(page.messages()))
                .add("hasMore", page.hasMore())
                .build();
    }

    private static long parse(String value, String name, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SwitchboardException(
                ErrorCode.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max);
    }
}
