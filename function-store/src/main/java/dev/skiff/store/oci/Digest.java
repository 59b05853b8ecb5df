package dev.skiff.store.oci;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A content digest {@code <algorithm>:<hex>}, checked against its algorithm's encoding, so that
 * it is safe to use as a file name.
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Reference {
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (!algorithm.isValidEncoded(hex)) {
            throw invalid(algorithm.id() + ":" + hex, "not a " + algorithm.id() + " hash");
        }
    }

    /** Parses a digest string; anything malformed or of an unsupported algorithm is DIGEST_INVALID. */
    public static Digest parse(String text) {
        if (text == null || !GRAMMAR.matcher(text).matches()) {
            throw invalid(text, "malformed digest");
        }
        int colon = text.indexOf(':');
        String algorithmId = text.substring(0, colon);
        DigestAlgorithm algorithm = DigestAlgorithm.byId(algorithmId)
                .orElseThrow(() -> invalid(text, "unsupported digest algorithm " + algorithmId));
        return new Digest(algorithm, text.substring(colon + 1));
    }

    /** The digest a finished hasher computed. */
    public static Digest of(DigestAlgorithm algorithm, MessageDigest hasher) {
        return new Digest(algorithm, HexFormat.of().formatHex(hasher.digest()));
    }

    /** The digest of bytes held in memory. */
    public static Digest of(DigestAlgorithm algorithm, byte[] content) {
        MessageDigest hasher = algorithm.newHasher();
        hasher.update(content);
        return of(algorithm, hasher);
    }

    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }

    private static RegistryException invalid(String text, String why) {
        return new RegistryException(OciErrorCode.DIGEST_INVALID, "invalid digest: " + why,
                Map.of("digest", String.valueOf(text)));
    }
}
