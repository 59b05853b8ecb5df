package dev.skiff.gateway.api;

import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.auth.AuthException;
import dev.skiff.gateway.auth.Caller;
import dev.skiff.gateway.auth.CurrentCaller;
import dev.skiff.gateway.secrets.SecretService;
import dev.skiff.secrets.Secret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * OpenFaaS' secrets API: {@code GET}, {@code POST}, {@code PUT} and {@code DELETE /system/secrets}.
 * Secrets live in a namespace (the caller's unless one is named); values go in and never come out.
 */
@Path("/system/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SecretsResource {
    private final SecretService secrets;
    private final CurrentCaller caller;

    SecretsResource(SecretService secrets, CurrentCaller caller) {
        this.secrets = secrets;
        this.caller = caller;
    }

    /** The names of a namespace's secrets (the caller's, or {@code ?namespace=}). */
    @GET
    public List<SecretName> list(@QueryParam("namespace") @Pattern(regexp = dev.skiff.contracts.Names.FUNCTION) String namespace) {
        return secrets.list(namespace(namespace));
    }

    /** Creates a secret: 201; 409 when its name is taken. */
    @POST
    public Response create(@NotNull @Valid SecretRequest request) {
        secrets.create(secret(request));
        return Response.status(Response.Status.CREATED).entity(new SecretName(request.name(), namespace(request.namespace()))).build();
    }

    /** Replaces a secret's value: 200; 404 when there is none. */
    @PUT
    public SecretName update(@NotNull @Valid SecretRequest request) {
        secrets.update(secret(request));
        return new SecretName(request.name(), namespace(request.namespace()));
    }

    /** Deletes a secret: 204; 404 when there is none; 409 while a function uses it. */
    @DELETE
    public Response delete(@NotNull @Valid SecretName request) {
        secrets.delete(namespace(request.namespace()), request.name());
        return Response.noContent().build();
    }

    /** The namespace a call acts in: the one named, which a tenant's credentials must cover (403), or the caller's. */
    private String namespace(String named) {
        Caller who = caller.get();
        String namespace = named != null ? named : who.namespace();
        if (!who.mayUse(namespace)) {
            throw AuthException.forbidden("these credentials may not use the secrets of namespace " + namespace);
        }
        return namespace;
    }

    private Secret secret(SecretRequest request) {
        if ((request.value() == null) == (request.rawValue() == null)) {
            throw GatewayException.invalid("value", "give exactly one of value (text) and rawValue (base64)");
        }
        byte[] value;
        if (request.value() != null) {
            value = request.value().getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                value = Base64.getDecoder().decode(request.rawValue());
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalid("rawValue", "is not valid base64");
            }
        }
        if (value.length > Secret.MAX_BYTES) {
            throw GatewayException.tooLarge("a secret holds at most " + Secret.MAX_BYTES + " bytes; this one has " + value.length);
        }
        return Secret.single(namespace(request.namespace()), request.name(), value);
    }
}
