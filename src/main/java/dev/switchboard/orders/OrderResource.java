package dev.switchboard.orders;

import dev.switchboard.ErrorCode;
import dev.switchboard.JsonCodec;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.auth.CurrentUser;
import jakarta.inject.Inject;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/orders}: place an order, read one, list a user's. The body is read by {@link
 * OrderRequestReader} and checked with Bean Validation here rather than by the JAX-RS runtime, so
 * every server answers a bad body the same way: 400 problem+json naming each bad field. The body is
 * at most 64 KiB by then ({@code ops.BodyLimitFilter}).
 */
@Path("orders")
public class OrderResource {
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
        Order order = orders.place(caller, valid(OrderRequestReader.read(body)));
        return Response.created(uri.getBaseUriBuilder().path("orders").path(order.id()).build())
                .entity(order.toJson().toString())
                .build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        OrderService.Found found = orders.find(currentUser.get(), id);
        return Response.ok(found.json())
                .header("X-Cache", found.cacheHit() ? "hit" : "miss")
                .build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list(
            @QueryParam("userId") String userId,
            @QueryParam("limit") @DefaultValue("50") String limitParam) {
        var caller = currentUser.get();
        int limit = limit(limitParam);
        UserId user = userId == null ? caller.id() : new UserId(userId);
        var list = JsonCodec.arrayBuilder();
        orders.list(caller, user, limit).forEach(o -> list.add(o.toJson()));
        return list.build().toString();
    }

    /**
     * A String, not an int: JAX-RS answers an int parameter it cannot convert (99999999999) with
     * 404.
     */
    private static int limit(String value) {
        if (!value.isEmpty() && value.length() <= 3 && value.chars().allMatch(Character::isDigit)) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIST) return limit;
        }
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, "limit must be 1.." + MAX_LIST);
    }

    private OrderRequest valid(OrderRequest request) {
        Set<ConstraintViolation<OrderRequest>> violations = validator.validate(request);
        if (violations.isEmpty()) return request;
        String detail =
                violations.stream()
                        .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                        .sorted(Comparator.naturalOrder())
                        .limit(OrderRequestReader.MAX_LISTED)
                        .collect(Collectors.joining("; "));
        if (violations.size() > OrderRequestReader.MAX_LISTED)
            detail += "; and " + (violations.size() - OrderRequestReader.MAX_LISTED) + " more";
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, detail);
    }
}
