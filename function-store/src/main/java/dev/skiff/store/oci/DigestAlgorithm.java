package dev.skiff.store.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The digest algorithms the registry verifies content with, and the shape of their encoded hashes. */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String id;
    private final String jcaName;
    private final Pattern encoded;

    DigestAlgorithm(String id, String jcaName, int hexLength) {
        this.id = id;
        this.jcaName = jcaName;
        this.encoded = Pattern.compile("[a-f0-9]{" + hexLength + "}");
    }

    /** The name in a digest string, e.g. {@code sha256}. */
    public String id() {
        return id;
    }

    public boolean isValidEncoded(String hex) {
        return encoded.matcher(hex).matches();
    }

    /** A fresh hasher of this algorithm. */
    public MessageDigest newHasher() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks " + jcaName, e);
        }
    }

    public static Optional<DigestAlgorithm> byId(String id) {
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.id.equals(id)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
