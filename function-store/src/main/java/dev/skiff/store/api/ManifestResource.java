package dev.skiff.store.api;

import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessRequired;
import dev.skiff.store.oci.Reference;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.registry.ManifestInfo;
import dev.skiff.store.registry.ManifestService;
import dev.skiff.store.registry.PushedManifest;
import dev.skiff.store.registry.StoredManifest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** Pushing, pulling and deleting manifests: {@code /v2/<name>/manifests/<tag or digest>}. */
@Path("/v2")
@Blocking
public class ManifestResource {
    private static final String MANIFEST = "{name: .+}/manifests/{reference}";
    private final ManifestService manifests;

    ManifestResource(ManifestService manifests) {
        this.manifests = manifests;
    }

    @PUT
    @Path(MANIFEST)
    @AccessRequired(Access.PUSH)
    public Response putManifest(@PathParam("name") String name, @PathParam("reference") String reference,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        RepositoryName repository = new RepositoryName(name);
        PushedManifest pushed = manifests.put(repository, Reference.parse(reference), contentType, body);
        Response.ResponseBuilder response = Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, RegistryResponses.manifestLocation(repository, pushed.digest()))
                .header(RegistryHeaders.CONTENT_DIGEST, pushed.digest().toString());
        pushed.subject().ifPresent(subject -> response.header(RegistryHeaders.OCI_SUBJECT, subject.toString()));
        return response.build();
    }

    @HEAD
    @Path(MANIFEST)
    @AccessRequired(Access.PULL)
    public Response headManifest(@PathParam("name") String name, @PathParam("reference") String reference) {
        ManifestInfo manifest = manifests.head(new RepositoryName(name), Reference.parse(reference));
        return Response.ok()
                .header(HttpHeaders.CONTENT_TYPE, manifest.mediaType())
                .header(RegistryHeaders.CONTENT_LENGTH, manifest.size())
                .header(RegistryHeaders.CONTENT_DIGEST, manifest.digest().toString())
                .build();
    }

    /** The exact bytes pushed, with the media type they were pushed with. */
    @GET
    @Path(MANIFEST)
    @AccessRequired(Access.PULL)
    public Response getManifest(@PathParam("name") String name, @PathParam("reference") String reference) {
        StoredManifest manifest = manifests.get(new RepositoryName(name), Reference.parse(reference));
        return Response.ok(manifest.content(), manifest.mediaType())
                .header(RegistryHeaders.CONTENT_DIGEST, manifest.digest().toString())
                .build();
    }

    @DELETE
    @Path(MANIFEST)
    @AccessRequired(Access.PUSH)
    public Response deleteManifest(@PathParam("name") String name, @PathParam("reference") String reference) {
        manifests.delete(new RepositoryName(name), Reference.parse(reference));
        return Response.accepted().build();
    }
}
