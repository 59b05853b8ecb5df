package dev.skiff.store.oci;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inclusive byte range of a blob a {@code Range} request header asks for (RFC 9110 14.2):
 * {@code bytes=<first>-<last>}, {@code bytes=<first>-} or the suffix {@code bytes=-<length>},
 * resolved against the blob's size.
 */
public record ByteRange(long start, long end) {
    private static final Pattern GRAMMAR = Pattern.compile("(?i)bytes\\s*=\\s*([0-9]*)\\s*-\\s*([0-9]*)");

    public long length() {
        return end - start + 1;
    }

    /** The {@code Content-Range} value of a 206 answer: {@code bytes <start>-<end>/<size>}. */
    public String contentRange(long size) {
        return "bytes " + start + "-" + end + "/" + size;
    }

    /**
     * The range {@code header} asks for within a blob of {@code size} bytes. Empty when the header
     * is absent or is not a single byte range (several ranges, another unit, a malformed value):
     * the RFC lets a server answer those with the whole content. A range that starts at or beyond
     * the end, or an empty suffix, is unsatisfiable: RANGE_INVALID, 416, with
     * {@code Content-Range: bytes *}{@code /<size>}.
     */
    public static Optional<ByteRange> resolve(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher matcher = GRAMMAR.matcher(header.strip());
        if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            return Optional.empty();
        }
        if (matcher.group(1).isEmpty()) {
            long suffix = number(matcher.group(2));
            if (suffix == 0 || size == 0) {
                throw unsatisfiable(header, size);
            }
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = number(matcher.group(1));
        long last = matcher.group(2).isEmpty() ? Long.MAX_VALUE : number(matcher.group(2));
        if (last < first) {
            return Optional.empty();
        }
        if (first >= size) {
            throw unsatisfiable(header, size);
        }
        return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    }

    /** Digits as a number, saturating at Long.MAX_VALUE (no blob is that large). */
    private static long number(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private static RegistryException unsatisfiable(String header, long size) {
        return new RegistryException(416, OciErrorCode.RANGE_INVALID, "requested range not satisfiable",
                Map.of("range", header, "size", size), Map.of("Content-Range", "bytes */" + size));
    }
}
