package dev.switchboard.ops;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything else: JAX-RS's own errors (404, 405, unreadable bodies) keep their status, anything
 * unexpected is a 500; both as problem+json, and never with a stack trace.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            String title = status == 400 ? "bad_request" : status == 404 ? "not_found" : "http_" + status;
            String detail = status == 400 ? "the request body is not valid JSON of the expected shape"
                    : web.getResponse().getStatusInfo().getReasonPhrase();
            return Problems.response(status, title, detail);
        }
        LOG.log(Level.WARNING, "unexpected failure in an HTTP request", e);
        return Problems.response(500, "internal", "unexpected server fault");
    }
}
