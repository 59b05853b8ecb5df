package dev.skiff.store.api;

import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessRequired;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.registry.BlobService;
import dev.skiff.store.registry.BlobSlice;
import dev.skiff.store.storage.BlobInfo;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import org.jboss.resteasy.reactive.PathPart;

/** Pulling and deleting blobs: {@code /v2/<name>/blobs/<digest>}. */
@Path("/v2")
@Blocking
public class BlobResource {
    private static final String BLOB = "{name: .+}/blobs/{digest}";
    /** Large writes mean fewer hand-overs to the event loop: several times the throughput of 8 KiB ones. */
    private static final int COPY_BUFFER = 256 * 1024;
    private final BlobService blobs;

    BlobResource(BlobService blobs) {
        this.blobs = blobs;
    }

    @HEAD
    @Path(BLOB)
    @AccessRequired(Access.PULL)
    public Response headBlob(@PathParam("name") String name, @PathParam("digest") String digest) {
        BlobInfo blob = blobs.check(new RepositoryName(name), Digest.parse(digest));
        return blobHeaders(Response.ok(), blob.digest(), blob.size()).build();
    }

    /**
     * The blob, or the one byte range asked for (206): sent from its file as it lies (sendfile)
     * when storage keeps it in one, else streamed; never held in memory.
     */
    @GET
    @Path(BLOB)
    @AccessRequired(Access.PULL)
    public Response getBlob(@PathParam("name") String name, @PathParam("digest") String digest,
            @HeaderParam(RegistryHeaders.RANGE) String range) {
        Digest parsed = Digest.parse(digest);
        BlobSlice slice = blobs.read(new RepositoryName(name), parsed, range);
        Response.ResponseBuilder response = slice.range()
                .map(r -> Response.status(Response.Status.PARTIAL_CONTENT)
                        .header(RegistryHeaders.CONTENT_RANGE, r.contentRange(slice.blobSize())))
                .orElseGet(Response::ok);
        return blobHeaders(response.entity(body(slice)), parsed, slice.length()).build();
    }

    private static Object body(BlobSlice slice) {
        if (slice.body() instanceof BlobSlice.LocalFile file) {
            return new PathPart(file.path(), slice.offset(), slice.length());
        }
        InputStream stream = ((BlobSlice.Streamed) slice.body()).stream();
        return (StreamingOutput) out -> {
            try (InputStream in = stream) {
                in.transferTo(out);
            }
        };
    }

    @DELETE
    @Path(BLOB)
    @AccessRequired(Access.PUSH)
    public Response deleteBlob(@PathParam("name") String name, @PathParam("digest") String digest) {
        blobs.delete(new RepositoryName(name), Digest.parse(digest));
        return Response.accepted().build();
    }

    private static Response.ResponseBuilder blobHeaders(Response.ResponseBuilder response, Digest digest, long length) {
        return response.type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(RegistryHeaders.CONTENT_LENGTH, length)
                .header(RegistryHeaders.CONTENT_DIGEST, digest.toString())
                .header(RegistryHeaders.ACCEPT_RANGES, "bytes");
    }
}
