package dev.skiff.contracts;

/** Grammar of names every service checks the same way. */
public final class Names {
    /**
     * A function name: a DNS label (lowercase letters, digits, dashes; starts with a letter; at
     * most 63 characters), as OpenFaaS and Kubernetes require, and a valid OCI path component.
     */
    public static final String FUNCTION = "[a-z]([a-z0-9-]{0,61}[a-z0-9])?";
    /**
     * A secret name: a DNS subdomain (lowercase letters, digits, '-' and '.'; starts and ends with a
     * letter or digit; at most 253 characters), as a Kubernetes Secret's name must be.
     */
    public static final String SECRET = "[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?";
    /**
     * A key inside a secret, which is also the file name it is given in an instance: letters, digits,
     * '-', '_' and '.', as Kubernetes allows in a Secret's data keys ({@code .} and {@code ..} are refused apart).
     */
    public static final String SECRET_KEY = "[-._a-zA-Z0-9]{1,253}";
    /** Where a function version's spec keeps its namespace (an annotation). */
    public static final String NAMESPACE_ANNOTATION = "skiff.dev/namespace";
    /** The namespace of a function or secret that names none. */
    public static final String DEFAULT_NAMESPACE = "default";
    /** A sha256 digest. */
    public static final String SHA256_DIGEST = "sha256:[a-f0-9]{64}";

    private Names() {
    }

    /** Whether a string is a valid secret key: the pattern, and neither {@code .} nor {@code ..}. */
    public static boolean isSecretKey(String key) {
        return key != null && key.matches(SECRET_KEY) && !key.equals(".") && !key.equals("..");
    }
}
