package dev.switchboard.ops;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The contract's errors as problem+json; rate limits add {@code Retry-After} in whole seconds. */
@Provider
public class SwitchboardExceptionMapper implements ExceptionMapper<SwitchboardException> {
    @Override
    public Response toResponse(SwitchboardException e) {
        Response response = Problems.response(e.code().httpStatus(), e.code().wire(), e.detail());
        if (e.retryAfterMs() >= 0 && (e.code() == ErrorCode.RATE_LIMITED || e.code() == ErrorCode.UNAVAILABLE)) {
            return Response.fromResponse(response).header("Retry-After", Math.max(1, (e.retryAfterMs() + 999) / 1000)).build();
        }
        return response;
    }
}
