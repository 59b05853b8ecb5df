package dev.skiff.contracts;

/** Grammar of names every service checks the same way. */
public final class Names {
    /**
     * A function name: a DNS label (lowercase letters, digits, dashes; starts with a letter; at
     * most 63 characters), as OpenFaaS and Kubernetes require, and a valid OCI path component.
     */
    public static final String FUNCTION = "[a-z]([a-z0-9-]{0,61}[a-z0-9])?";
    /** A sha256 digest. */
    public static final String SHA256_DIGEST = "sha256:[a-f0-9]{64}";

    private Names() {
    }
}
