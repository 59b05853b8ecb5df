package dev.skiff.store.api;

import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessRequired;
import dev.skiff.store.oci.PageRequest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.registry.CatalogService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Listings: the repositories of the registry (Docker's catalog extension) and a repository's tags.
 * Always JSON, whatever the Accept header says, as registry clients expect.
 */
@Path("/v2")
@Blocking
@AccessRequired(Access.PULL)
public class CatalogResource {
    private final CatalogService catalog;

    CatalogResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    /** The body of {@code GET /v2/_catalog}. */
    public record Catalog(List<String> repositories) {
    }

    /** The body of {@code GET /v2/<name>/tags/list}. */
    public record TagList(String name, List<String> tags) {
    }

    @GET
    @Path("_catalog")
    public Response catalog(@QueryParam("n") String n, @QueryParam("last") String last) {
        PageRequest request = PageRequest.of(n, last);
        PageRequest.Page page = catalog.repositories(request);
        return RegistryResponses.page(new Catalog(page.items()), "/v2/_catalog", request, page);
    }

    @GET
    @Path("{name: .+}/tags/list")
    public Response tags(@PathParam("name") String name, @QueryParam("n") String n, @QueryParam("last") String last) {
        RepositoryName repository = new RepositoryName(name);
        PageRequest request = PageRequest.of(n, last);
        PageRequest.Page page = catalog.tags(repository, request);
        return RegistryResponses.page(new TagList(repository.value(), page.items()),
                "/v2/" + repository + "/tags/list", request, page);
    }
}
