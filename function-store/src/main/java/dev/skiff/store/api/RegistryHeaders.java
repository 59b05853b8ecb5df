package dev.skiff.store.api;

/** HTTP headers of the OCI Distribution API. */
public final class RegistryHeaders {
    /** On every response: the API version the registry speaks. */
    public static final String API_VERSION = "Docker-Distribution-API-Version";
    public static final String API_VERSION_VALUE = "registry/2.0";
    /** The digest of the blob or manifest a response is about. */
    public static final String CONTENT_DIGEST = "Docker-Content-Digest";
    /** The id of an upload session. */
    public static final String UPLOAD_UUID = "Docker-Upload-UUID";
    /** On a pushed manifest with a {@code subject}: the subject's digest. */
    public static final String OCI_SUBJECT = "OCI-Subject";
    /** The bytes an upload session holds, {@code 0-<last>}. */
    public static final String RANGE = "Range";
    public static final String CONTENT_RANGE = "Content-Range";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String LINK = "Link";
    /** On blob answers: ranges of bytes may be asked for. */
    public static final String ACCEPT_RANGES = "Accept-Ranges";
    /** On a filtered referrers list: the filters the registry applied. */
    public static final String OCI_FILTERS_APPLIED = "OCI-Filters-Applied";

    private RegistryHeaders() {
    }
}
