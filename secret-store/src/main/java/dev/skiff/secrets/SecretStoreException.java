package dev.skiff.secrets;

/** The secret store could not be read or written (a file system or Kubernetes API failure). */
public class SecretStoreException extends RuntimeException {
    public SecretStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
