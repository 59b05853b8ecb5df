package dev.skiff.store.api;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.registry.BlobService;
import dev.skiff.store.storage.BlobContent;
import dev.skiff.store.storage.BlobInfo;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/** Pulling and deleting blobs: {@code /v2/<name>/blobs/<digest>}. */
@Path("/v2")
@Blocking
public class BlobResource {
    private final BlobService blobs;

    BlobResource(BlobService blobs) {
        this.blobs = blobs;
    }

    @HEAD
    @Path("{name: .+}/blobs/{digest}")
    public Response headBlob(@PathParam("name") String name, @PathParam("digest") String digest) {
        BlobInfo blob = blobs.stat(new RepositoryName(name), Digest.parse(digest));
        return blobHeaders(Response.ok(), blob.digest(), blob.size()).build();
    }

    /** Streams the blob from storage; it is never held in memory. */
    @GET
    @Path("{name: .+}/blobs/{digest}")
    public Response getBlob(@PathParam("name") String name, @PathParam("digest") String digest) {
        Digest parsed = Digest.parse(digest);
        BlobContent blob = blobs.open(new RepositoryName(name), parsed);
        StreamingOutput body = out -> {
            try (InputStream in = blob.stream()) {
                in.transferTo(out);
            }
        };
        return blobHeaders(Response.ok(body), parsed, blob.size()).build();
    }

    @DELETE
    @Path("{name: .+}/blobs/{digest}")
    public Response deleteBlob(@PathParam("name") String name, @PathParam("digest") String digest) {
        blobs.delete(new RepositoryName(name), Digest.parse(digest));
        return Response.accepted().build();
    }

    private static Response.ResponseBuilder blobHeaders(Response.ResponseBuilder response, Digest digest, long size) {
        return response.type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(RegistryHeaders.CONTENT_LENGTH, size)
                .header(RegistryHeaders.CONTENT_DIGEST, digest.toString());
    }
}
