package dev.skiff.store.oci;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** The id of an upload session: a random UUID, so a malformed one simply names no session. */
public record UploadId(String value) {
    private static final Pattern GRAMMAR = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public UploadId {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry",
                    Map.of("uuid", String.valueOf(value)));
        }
    }

    public static UploadId random() {
        return new UploadId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
