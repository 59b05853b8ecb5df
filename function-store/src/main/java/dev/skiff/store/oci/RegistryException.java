package dev.skiff.store.oci;

import java.util.Map;

/**
 * A registry failure, answered at the edge in the OCI error format: its code, usually the
 * code's default status, a message and an optional structured detail.
 */
public class RegistryException extends RuntimeException {
    private final OciErrorCode code;
    private final int status;
    private final transient Object detail;
    private final Map<String, String> headers;

    public RegistryException(OciErrorCode code, String message, Object detail) {
        this(code.status(), code, message, detail, Map.of());
    }

    public RegistryException(int status, OciErrorCode code, String message, Object detail, Map<String, String> headers) {
        super(message);
        this.code = code;
        this.status = status;
        this.detail = detail;
        this.headers = Map.copyOf(headers);
    }

    public OciErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Structured detail for the client (e.g. the unknown digest), or null. */
    public Object detail() {
        return detail;
    }

    /** Extra response headers, such as the current Range of an upload. */
    public Map<String, String> headers() {
        return headers;
    }
}
