package dev.skiff.store.oci;

import java.util.Map;
import java.util.regex.Pattern;

/** A tag naming a manifest in a repository: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
public record Tag(String value) implements Reference {
    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new RegistryException(OciErrorCode.TAG_INVALID, "invalid tag", Map.of("tag", String.valueOf(value)));
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
