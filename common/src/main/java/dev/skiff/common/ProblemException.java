package dev.skiff.common;

/**
 * Base of every service's domain failures. Each subclass fixes its HTTP status and title, so the
 * failure -> status table is the set of subclasses, and one mapper turns them into problem+json.
 */
public abstract class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;

    protected ProblemException(int status, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    protected ProblemException(int status, String title, String detail, String field, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The offending input, or null when the failure is not about one input. */
    public String field() {
        return field;
    }

    /** Extra response headers, such as Retry-After; none by default. */
    public java.util.Map<String, String> headers() {
        return java.util.Map.of();
    }
}
