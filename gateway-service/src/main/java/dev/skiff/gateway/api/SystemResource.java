package dev.skiff.gateway.api;

import dev.skiff.contracts.Names;
import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.functions.DeployedFunction;
import dev.skiff.gateway.auth.AuthException;
import dev.skiff.gateway.auth.Caller;
import dev.skiff.gateway.auth.CurrentCaller;
import dev.skiff.gateway.auth.Namespaces;
import dev.skiff.gateway.functions.FunctionCatalog;
import dev.skiff.gateway.functions.FunctionService;
import dev.skiff.gateway.store.CodeArtifacts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** OpenFaaS' management API ({@code /system/functions}) and Skiff's code upload. Runs on worker threads. */
@Path("/system")
public class SystemResource {
    private final FunctionService functions;
    private final CodeArtifacts code;
    private final GatewayConfig config;
    private final CurrentCaller caller;
    private final FunctionCatalog catalog;

    SystemResource(FunctionService functions, CodeArtifacts code, GatewayConfig config, CurrentCaller caller, FunctionCatalog catalog) {
        this.functions = functions;
        this.code = code;
        this.config = config;
        this.caller = caller;
        this.catalog = catalog;
    }

    /**
     * The deployment in the namespace it names, or the caller's; a tenant may deploy only into its
     * own (403), and never over another namespace's function (404: it sees none).
     */
    private FunctionDeployment namespaced(FunctionDeployment deployment, boolean update) {
        Caller who = caller.get();
        // an update keeps the function's namespace unless it names one; the catalog not loaded yet is
        // for the function service to report (after it has checked the deployment itself)
        DeployedFunction existing = update ? findQuietly(deployment.service()) : null;
        if (existing != null && !who.mayUse(Namespaces.of(existing.spec()))) {
            throw GatewayException.notFound(deployment.service());
        }
        String namespace = deployment.namespace() != null ? deployment.namespace()
                : existing != null ? Namespaces.of(existing.spec()) : who.namespace();
        if (!who.mayUse(namespace)) {
            throw AuthException.forbidden("these credentials may not deploy into namespace " + namespace);
        }
        if (existing != null && !Namespaces.of(existing.spec()).equals(namespace)) {
            throw GatewayException.invalid("namespace", "function " + deployment.service() + " is in namespace "
                    + Namespaces.of(existing.spec()) + "; a function cannot move to another");
        }
        return deployment.inNamespace(namespace);
    }

    private DeployedFunction findQuietly(String name) {
        try {
            return catalog.find(name);
        } catch (GatewayException e) {
            return null;
        }
    }

    /** Deploys a new function: 202 with its version digest; 409 if the name is taken. */
    @POST
    @Path("/functions")
    public Response deploy(@NotNull @Valid FunctionDeployment deployment) {
        return accepted(functions.deploy(namespaced(deployment, false)));
    }

    /** Rolls out a new version of a function: 202; 404 if there is none. */
    @PUT
    @Path("/functions")
    public Response update(@NotNull @Valid FunctionDeployment deployment) {
        return accepted(functions.update(namespaced(deployment, true)));
    }

    @GET
    @Path("/functions")
    public List<FunctionStatus> list() {
        Caller who = caller.get();
        return functions.list().stream().filter(f -> who.mayUse(f.namespace())).toList();
    }

    @GET
    @Path("/function/{name}")
    public FunctionStatus get(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name) {
        FunctionStatus status = functions.get(name);
        if (status == null) {
            throw GatewayException.notFound(name);
        }
        return status;
    }

    /**
     * OpenFaaS' scale-function: warm {@code replicas} instances now (provisioned concurrency);
     * 202 with how many the function has or is booting. Above minScale they idle out as usual.
     */
    @POST
    @Path("/scale-function/{name}")
    public Response scale(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name,
            @NotNull @Valid ScaleRequest request) {
        if (request.serviceName() != null && !request.serviceName().equals(name)) {
            throw GatewayException.invalid("serviceName", "names '" + request.serviceName() + "' but the path names '" + name + "'");
        }
        return Response.accepted(Map.of("name", name, "replicas", functions.scale(name, request.replicas()))).build();
    }

    /** The function's versions (tags {@code v<time>} in the store), newest first, with the current one marked. */
    @GET
    @Path("/function/{name}/versions")
    public List<dev.skiff.gateway.store.FunctionVersions.Version> versions(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name) {
        return functions.versions(name);
    }

    /**
     * Rolls back: moves the function's {@code latest} tag to an earlier version (body
     * {@code {"version":"v..."}}, or empty for the previous one); 202; 409 when there is none.
     */
    @POST
    @Path("/function/{name}/rollback")
    public Response rollback(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, @Valid RollbackRequest request) {
        return accepted(functions.rollback(name, request == null ? null : request.version()));
    }

    /** Removes a function: 202; 404 if there is none. */
    @DELETE
    @Path("/functions")
    public Response delete(@NotNull @Valid DeleteFunctionRequest request) {
        DeployedFunction existing = catalog.find(request.functionName());
        if (existing != null && !caller.get().mayUse(Namespaces.of(existing.spec()))) {
            throw GatewayException.notFound(request.functionName());
        }
        functions.delete(request.functionName());
        return Response.accepted().build();
    }

    /**
     * Uploads code (a jar for {@code java}, an executable or script for {@code exec}) as the
     * artefact {@code code/<name>:latest}; 201 with the reference to deploy.
     */
    @POST
    @Path("/code/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response upload(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name,
            @QueryParam("filename") @DefaultValue("handler")
            @Pattern(regexp = "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}", message = "must be a plain file name (letters, digits, '.', '_', '-')") String filename,
            byte[] content) {
        if (content == null || content.length == 0) {
            throw GatewayException.invalid("body", "the request body must hold the code file");
        }
        if (content.length > config.maxCodeBytes()) {
            throw GatewayException.tooLarge("code is " + content.length + " bytes, the limit is " + config.maxCodeBytes());
        }
        return Response.status(201).entity(code.push(name, filename, content)).build();
    }

    private static Response accepted(DeployedFunction deployed) {
        return Response.accepted(Map.of("name", deployed.name(), "digest", deployed.digest(), "image", deployed.image())).build();
    }
}
