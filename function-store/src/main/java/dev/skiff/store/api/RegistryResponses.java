package dev.skiff.store.api;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.PageRequest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.BlobInfo;
import dev.skiff.store.storage.UploadStatus;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds the responses (status and headers) the OCI Distribution Specification prescribes. */
final class RegistryResponses {

    private RegistryResponses() {
    }

    /** 201 for a blob now stored in the repository. */
    static Response blobCreated(RepositoryName repository, BlobInfo blob) {
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, blobLocation(repository, blob.digest()))
                .header(RegistryHeaders.CONTENT_DIGEST, blob.digest().toString())
                .build();
    }

    /** An upload session's state: where to send more bytes, and how many it holds. */
    static Response uploadSession(UploadStatus session, Response.Status status) {
        String location = "/v2/" + session.repository() + "/blobs/uploads/" + session.id();
        return Response.status(status)
                .header(HttpHeaders.LOCATION, location)
                .header(RegistryHeaders.UPLOAD_UUID, session.id().value())
                .header(RegistryHeaders.RANGE, "0-" + Math.max(0, session.size() - 1))
                .build();
    }

    static String blobLocation(RepositoryName repository, Digest digest) {
        return "/v2/" + repository + "/blobs/" + digest;
    }

    static String manifestLocation(RepositoryName repository, Digest digest) {
        return "/v2/" + repository + "/manifests/" + digest;
    }

    /** 200 with a list body, and a {@code Link} to the next page when there is one. */
    static Response page(Object body, String path, PageRequest request, PageRequest.Page page) {
        Response.ResponseBuilder response = Response.ok(body, MediaType.APPLICATION_JSON_TYPE);
        if (page.more()) {
            String next = path + "?n=" + request.limit() + "&last=" + URLEncoder.encode(page.lastItem(), StandardCharsets.UTF_8);
            response.header(RegistryHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.build();
    }
}
