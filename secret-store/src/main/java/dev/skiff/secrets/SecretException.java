package dev.skiff.secrets;

/** A function names a secret that is missing or cannot be used as asked; the message names it, never a value. */
public class SecretException extends RuntimeException {
    private final String field;

    public SecretException(String message) {
        this(null, message);
    }

    /** @param field the spec field at fault: {@code secrets} or {@code secretEnv[NAME]} */
    public SecretException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The spec field at fault, or null. */
    public String field() {
        return field;
    }
}
