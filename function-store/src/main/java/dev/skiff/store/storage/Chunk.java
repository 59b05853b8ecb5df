package dev.skiff.store.storage;

import dev.skiff.store.oci.ContentRange;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.RegistryException;
import java.io.InputStream;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Bytes of an upload arriving in one request, with what the client declared about them: the
 * range they cover (null when not given) and their length (null when not given).
 */
public record Chunk(InputStream body, ContentRange range, Long declaredLength) {

    /** A chunk from a request's body and its Content-Range and Content-Length headers. */
    public static Chunk of(InputStream body, String contentRange, Long contentLength) {
        ContentRange range = ContentRange.parseHeader(contentRange);
        if (contentLength != null && contentLength < 0) {
            throw sizeInvalid("negative Content-Length", contentLength);
        }
        if (range != null && contentLength != null && range.length() != contentLength) {
            throw sizeInvalid("Content-Range " + range.start() + "-" + range.end()
                    + " does not match Content-Length", contentLength);
        }
        return new Chunk(body, range, contentLength);
    }

    /** How many bytes the client said it sends, if it said. */
    public OptionalLong expectedLength() {
        if (range != null) {
            return OptionalLong.of(range.length());
        }
        return declaredLength == null ? OptionalLong.empty() : OptionalLong.of(declaredLength);
    }

    /** Fails unless {@code received} matches the declared length. */
    public void checkReceived(long received) {
        OptionalLong expected = expectedLength();
        if (expected.isPresent() && expected.getAsLong() != received) {
            throw sizeInvalid("received " + received + " bytes, expected " + expected.getAsLong(), received);
        }
    }

    private static RegistryException sizeInvalid(String message, long length) {
        return new RegistryException(OciErrorCode.SIZE_INVALID, message, Map.of("length", length));
    }
}
