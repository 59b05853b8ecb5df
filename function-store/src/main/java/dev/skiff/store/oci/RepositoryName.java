package dev.skiff.store.oci;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A repository name following the spec's grammar, e.g. {@code functions/hello}. Its components
 * can never be empty, {@code .}, {@code ..} or start with {@code _}, so they are safe as
 * directory names and cannot collide with the storage's own {@code _}-prefixed entries.
 */
public record RepositoryName(String value) {
    /** The longest name accepted; clients join it with a host name and keep the total short. */
    public static final int MAX_LENGTH = 255;
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    public RepositoryName {
        if (value == null || value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches()) {
            throw new RegistryException(OciErrorCode.NAME_INVALID, "invalid repository name",
                    Map.of("name", String.valueOf(value)));
        }
    }

    /** The slash-separated components, each a valid directory name. */
    public List<String> components() {
        return List.of(value.split("/"));
    }

    @Override
    public String toString() {
        return value;
    }
}
