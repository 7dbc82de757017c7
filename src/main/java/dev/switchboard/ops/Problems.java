package dev.switchboard.ops;

import jakarta.json.Json;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem+json bodies, the contract's one shape for HTTP errors. */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    static Response response(int status, String title, String detail) {
        var body = Json.createObjectBuilder()
                .add("type", "urn:switchboard:" + title)
                .add("status", status)
                .add("title", title)
                .add("detail", detail)
                .build();
        return Response.status(status).type(MEDIA_TYPE).entity(body.toString()).build();
    }
}
