package dev.skiff.secrets;

/** A function names a secret that is missing or cannot be used as asked; the message names it, never a value. */
public class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }
}
