package dev.switchboard.ops;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** RFC 9457 problem+json bodies, the contract's one shape for HTTP errors. */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    static Response response(int status, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(body(status, title, detail)).build();
    }

    /** The same body from a servlet filter, for answers given before JAX-RS sees the request. */
    static void write(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        byte[] body = body(status, title, detail).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String body(int status, String title, String detail) {
        return Json.createObjectBuilder()
                .add("type", "urn:switchboard:" + title)
                .add("status", status)
                .add("title", title)
                .add("detail", detail)
                .build()
                .toString();
    }
}
