package dev.skiff.store.api;

import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessRequired;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.UploadId;
import dev.skiff.store.registry.UploadOutcome;
import dev.skiff.store.registry.UploadService;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.Chunk;
import dev.skiff.store.storage.UploadStatus;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * Pushing blobs: {@code /v2/<name>/blobs/uploads/}. Bodies are streamed to storage as they
 * arrive, never held in memory.
 */
@Path("/v2")
@Blocking
@AccessRequired(Access.PUSH)
public class UploadResource {
    private static final String SESSION = "{name: .+}/blobs/uploads/{uuid}";
    private final UploadService uploads;

    UploadResource(UploadService uploads) {
        this.uploads = uploads;
    }

    /** Monolithic upload ({@code digest}), cross-repository mount ({@code mount}, {@code from}) or a new session. */
    @POST
    @Path("{name: .+}/blobs/uploads/")
    public Response startUpload(@PathParam("name") String name, @QueryParam("digest") String digest,
            @QueryParam("mount") String mount, @QueryParam("from") String from,
            @HeaderParam(RegistryHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        RepositoryName repository = new RepositoryName(name);
        UploadOutcome outcome = uploads.begin(repository, digest, mount, from, Chunk.of(body, null, length));
        if (outcome instanceof UploadOutcome.Completed completed) {
            return RegistryResponses.blobCreated(repository, completed.blob());
        }
        return RegistryResponses.uploadSession(((UploadOutcome.Started) outcome).session(), Response.Status.ACCEPTED);
    }

    @PATCH
    @Path(SESSION)
    public Response uploadChunk(@PathParam("name") String name, @PathParam("uuid") String uuid,
            @HeaderParam(RegistryHeaders.CONTENT_RANGE) String range,
            @HeaderParam(RegistryHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        UploadStatus session = uploads.append(new RepositoryName(name), new UploadId(uuid), Chunk.of(body, range, length));
        return RegistryResponses.uploadSession(session, Response.Status.ACCEPTED);
    }

    @PUT
    @Path(SESSION)
    public Response completeUpload(@PathParam("name") String name, @PathParam("uuid") String uuid,
            @QueryParam("digest") String digest, @HeaderParam(RegistryHeaders.CONTENT_RANGE) String range,
            @HeaderParam(RegistryHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        RepositoryName repository = new RepositoryName(name);
        BlobInfo blob = uploads.complete(repository, new UploadId(uuid), digest, Chunk.of(body, range, length));
        return RegistryResponses.blobCreated(repository, blob);
    }

    @GET
    @Path(SESSION)
    public Response uploadStatus(@PathParam("name") String name, @PathParam("uuid") String uuid) {
        UploadStatus session = uploads.status(new RepositoryName(name), new UploadId(uuid));
        return RegistryResponses.uploadSession(session, Response.Status.NO_CONTENT);
    }

    @DELETE
    @Path(SESSION)
    public Response cancelUpload(@PathParam("name") String name, @PathParam("uuid") String uuid) {
        uploads.cancel(new RepositoryName(name), new UploadId(uuid));
        return Response.noContent().build();
    }
}
