package dev.skiff.oci;

/**
 * A registry answered with an error, or could not be reached (status 0). {@code code} is the
 * first OCI error code of the answer, when there was one.
 */
public final class RegistryException extends RuntimeException {
    private final int status;
    private final String code;

    public RegistryException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.code = null;
    }

    /** HTTP status, or 0 when the registry was not reached. */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean notFound() {
        return status == 404;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
