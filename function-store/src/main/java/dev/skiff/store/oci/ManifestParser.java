package dev.skiff.store.oci;

import static dev.skiff.contracts.MediaTypes.DOCKER_MANIFEST;
import static dev.skiff.contracts.MediaTypes.DOCKER_MANIFEST_LIST;
import static dev.skiff.contracts.MediaTypes.OCI_INDEX;
import static dev.skiff.contracts.MediaTypes.OCI_MANIFEST;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a pushed manifest and checks its shape: JSON object, {@code schemaVersion} 2, a supported
 * media type (from Content-Type, falling back to the {@code mediaType} field, which must agree
 * when both are present) and well-formed descriptors. Pure: whether referenced content exists is
 * the caller's question.
 */
public final class ManifestParser {
    /** The manifest media types the registry stores. */
    public static final Set<String> SUPPORTED = Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ManifestParser() {
    }

    /** Parses {@code body} pushed with {@code contentType} (may be null). */
    public static ParsedManifest parse(byte[] body, String contentType) {
        JsonNode root = readJson(body);
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 2) {
            throw invalid("schemaVersion must be 2", "schemaVersion");
        }
        String mediaType = mediaType(root, contentType);
        Optional<ContentDescriptor> subject = root.hasNonNull("subject")
                ? Optional.of(descriptor(root.get("subject"), "subject")) : Optional.empty();
        Optional<String> artifactType = artifactType(root);
        Map<String, String> annotations = annotations(root);
        if (INDEXES.contains(mediaType)) {
            return new ParsedManifest(mediaType, List.of(), descriptors(root, "manifests"), subject, artifactType,
                    annotations);
        }
        ContentDescriptor config = descriptor(root.get("config"), "config");
        List<ContentDescriptor> blobs = new ArrayList<>();
        blobs.add(config);
        blobs.addAll(descriptors(root, "layers"));
        return new ParsedManifest(mediaType, blobs, List.of(), subject,
                artifactType.or(() -> Optional.of(config.mediaType())), annotations);
    }

    /** The media type part of a Content-Type header, without parameters; null when absent. */
    public static String baseType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String base = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return base.isEmpty() ? null : base;
    }

    private static JsonNode readJson(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw invalid("manifest is not a JSON object", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw invalid("manifest is unreadable", null);
        }
    }

    private static String mediaType(JsonNode root, String contentType) {
        String header = baseType(contentType);
        JsonNode field = root.get("mediaType");
        if (field != null && !field.isTextual()) {
            throw invalid("mediaType must be a string", "mediaType");
        }
        if (header != null && field != null && !header.equals(field.asText())) {
            throw invalid("Content-Type " + header + " does not match mediaType " + field.asText(), "mediaType");
        }
        String mediaType = header != null ? header : field == null ? null : field.asText();
        if (mediaType == null || !SUPPORTED.contains(mediaType)) {
            throw invalid("unsupported manifest media type " + mediaType, "mediaType");
        }
        return mediaType;
    }

    /** The manifest's own artifactType, when present and not empty. */
    private static Optional<String> artifactType(JsonNode root) {
        JsonNode field = root.get("artifactType");
        if (field == null || field.isNull()) {
            return Optional.empty();
        }
        if (!field.isTextual()) {
            throw invalid("artifactType must be a string", "artifactType");
        }
        return field.asText().isEmpty() ? Optional.empty() : Optional.of(field.asText());
    }

    private static Map<String, String> annotations(JsonNode root) {
        JsonNode field = root.get("annotations");
        if (field == null || field.isNull()) {
            return Map.of();
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        if (field.isObject()) {
            field.fields().forEachRemaining(entry -> annotations.put(entry.getKey(),
                    entry.getValue().isTextual() ? entry.getValue().asText() : null));
        }
        if (!field.isObject() || annotations.containsValue(null)) {
            throw invalid("annotations must map strings to strings", "annotations");
        }
        return annotations;
    }

    private static List<ContentDescriptor> descriptors(JsonNode root, String field) {
        JsonNode array = root.get(field);
        if (array == null || !array.isArray()) {
            throw invalid(field + " must be an array", field);
        }
        List<ContentDescriptor> descriptors = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            descriptors.add(descriptor(array.get(i), field + "[" + i + "]"));
        }
        return descriptors;
    }

    private static ContentDescriptor descriptor(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw invalid(field + " must be a descriptor object", field);
        }
        JsonNode mediaType = node.get("mediaType");
        JsonNode digest = node.get("digest");
        JsonNode size = node.get("size");
        if (mediaType == null || !mediaType.isTextual()) {
            throw invalid(field + ".mediaType must be a string", field);
        }
        if (digest == null || !digest.isTextual()) {
            throw invalid(field + ".digest must be a string", field);
        }
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw invalid(field + ".size must be a non-negative integer", field);
        }
        Digest parsed;
        try {
            parsed = Digest.parse(digest.asText());
        } catch (RegistryException e) {
            throw invalid(field + ".digest: " + e.getMessage(), field);
        }
        return new ContentDescriptor(mediaType.asText(), parsed, size.asLong());
    }

    private static RegistryException invalid(String message, String field) {
        return new RegistryException(OciErrorCode.MANIFEST_INVALID, message,
                field == null ? null : Map.of("field", field));
    }
}
