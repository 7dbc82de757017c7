package dev.switchboard.orders;

import dev.switchboard.ErrorCode;
import dev.switchboard.JsonCodec;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.auth.CurrentUser;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/orders}: place an order, read one, list a user's. The body is bound with JSON-B and
 * checked with Bean Validation here rather than by the JAX-RS runtime, so every server answers a
 * bad body the same way: 400 problem+json naming each bad field.
 */
@Path("orders")
public class OrderResource {
    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final int MAX_LIST = 200;

    @Inject OrderService orders;
    @Inject CurrentUser currentUser;
    @Inject Validator validator;
    @Context UriInfo uri;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response place(String body) {
        var caller = currentUser.get();
        Order order = orders.place(caller, valid(parse(body)));
        return Response.created(uri.getBaseUriBuilder().path("orders").path(order.id()).build())
                .entity(order.toJson().toString()).build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        OrderService.Found found = orders.find(currentUser.get(), id);
        return Response.ok(found.json()).header("X-Cache", found.cacheHit() ? "hit" : "miss").build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list(@QueryParam("userId") String userId, @QueryParam("limit") @DefaultValue("50") int limit) {
        var caller = currentUser.get();
        if (limit < 1 || limit > MAX_LIST) throw new SwitchboardException(ErrorCode.BAD_REQUEST, "limit must be 1.." + MAX_LIST);
        UserId user = userId == null ? caller.id() : new UserId(userId);
        var list = JsonCodec.arrayBuilder();
        orders.list(caller, user, limit).forEach(o -> list.add(o.toJson()));
        return list.build().toString();
    }

    private static OrderRequest parse(String body) {
        if (body == null || body.isBlank()) throw new SwitchboardException(ErrorCode.BAD_REQUEST, "a JSON order body is required");
        try {
            OrderRequest request = JSONB.fromJson(body, OrderRequest.class);
            if (request == null) throw new SwitchboardException(ErrorCode.BAD_REQUEST, "a JSON order object is required");
            return request;
        } catch (JsonbException e) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "the body is not a valid order: " + firstLine(e));
        }
    }

    private OrderRequest valid(OrderRequest request) {
        Set<ConstraintViolation<OrderRequest>> violations = validator.validate(request);
        if (violations.isEmpty()) return request;
        String detail = violations.stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.joining("; "));
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, detail);
    }

    /** Where the JSON is broken, or JSON-B's complaint about a value; never class names or a stack trace. */
    private static String firstLine(JsonbException e) {
        String message = e.getMessage();
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof jakarta.json.stream.JsonParsingException parsing) {
                var at = parsing.getLocation();
                return at == null ? "malformed JSON" : "malformed JSON at line " + at.getLineNumber() + ", column " + at.getColumnNumber();
            }
            if (cause instanceof JsonbException && cause.getMessage() != null) message = cause.getMessage();
        }
        if (message == null) return "malformed JSON";
        message = message.replaceFirst("^Internal error: ", "").lines().findFirst().orElse("malformed JSON");
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
