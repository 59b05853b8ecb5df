package dev.skiff.store.oci;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inclusive byte range {@code <start>-<end>} a client says a chunk covers (its
 * {@code Content-Range} header; a leading {@code bytes } or {@code bytes=} is tolerated).
 */
public record ContentRange(long start, long end) {
    private static final Pattern GRAMMAR = Pattern.compile("(?:bytes[ =])?([0-9]{1,18})-([0-9]{1,18})");

    public ContentRange {
        if (start < 0 || end < start) {
            throw invalid(start + "-" + end);
        }
    }

    /** The range in a header value, or null when the header is absent. */
    public static ContentRange parseHeader(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher matcher = GRAMMAR.matcher(header.trim());
        if (!matcher.matches()) {
            throw invalid(header);
        }
        long start = Long.parseLong(matcher.group(1));
        long end = Long.parseLong(matcher.group(2));
        if (end < start) {
            throw invalid(header);
        }
        return new ContentRange(start, end);
    }

    public long length() {
        return end - start + 1;
    }

    private static RegistryException invalid(String header) {
        return new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID, "malformed Content-Range",
                Map.of("contentRange", header));
    }
}
