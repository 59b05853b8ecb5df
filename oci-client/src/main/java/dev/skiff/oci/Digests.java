package dev.skiff.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** OCI content digests ({@code sha256:<hex>}). */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("sha512:[a-f0-9]{128}");

    private Digests() {
    }

    /** The sha256 digest of some bytes. */
    public static String sha256(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(newDigest("sha256").digest(content));
    }

    /** True when the text is a well-formed sha256 or sha512 digest. */
    public static boolean isValid(String digest) {
        return digest != null && (SHA256.matcher(digest).matches() || SHA512.matcher(digest).matches());
    }

    /** A fresh MessageDigest for a digest algorithm name as OCI writes it ({@code sha256}, {@code sha512}). */
    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The algorithm part of a digest. */
    public static String algorithm(String digest) {
        return digest.substring(0, digest.indexOf(':'));
    }
}
