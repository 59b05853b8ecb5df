package dev.skiff.store.oci;

/**
 * The error codes of the OCI Distribution Specification (plus the few Docker distribution codes
 * clients also know), each with the status and message the registry answers by default.
 */
public enum OciErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNSUPPORTED(405, "the operation is unsupported"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    TOO_MANY_REQUESTS(429, "too many requests"),
    /** Docker distribution's code for a byte range that cannot be served. */
    RANGE_INVALID(416, "invalid content range"),
    /** Docker distribution's code for a malformed tag. */
    TAG_INVALID(400, "manifest tag did not match URI"),
    /** Docker distribution's code for a bad {@code n} in a paginated list. */
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    /** Docker distribution's code for a failure of the registry itself. */
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    OciErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
