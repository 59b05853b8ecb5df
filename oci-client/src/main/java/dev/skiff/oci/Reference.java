package dev.skiff.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed image reference inside one registry: {@code repository[:tag][@digest]}. A registry
 * host in front ({@code host:port/...}) is kept apart so callers can refuse foreign registries.
 */
public record Reference(String host, String repository, String tag, String digest) {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    /** The OCI distribution spec's repository name grammar. */
    public static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    /** The OCI distribution spec's tag grammar. */
    public static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final Pattern FULL = Pattern.compile(
            "(?:(?<host>[a-zA-Z0-9.-]+(?::[0-9]+)?|localhost)/)?(?<repo>" + REPOSITORY.pattern() + ")"
                    + "(?::(?<tag>" + TAG.pattern() + "))?(?:@(?<digest>[a-z0-9]+:[a-f0-9]+))?");

    /**
     * Parses a reference; the tag defaults to {@code latest} when neither tag nor digest is given.
     *
     * @throws IllegalArgumentException when the text is not a valid reference
     */
    public static Reference parse(String text) {
        if (text == null || text.length() > 512) {
            throw new IllegalArgumentException("reference is missing or longer than 512 characters");
        }
        Matcher m = FULL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a valid OCI reference (repository[:tag][@digest])");
        }
        String host = m.group("host");
        if (host != null && !host.contains(".") && !host.contains(":") && !host.equals("localhost")) {
            // "functions/hello": the first component is a path segment, not a host
            return parse0(null, host + "/" + m.group("repo"), m.group("tag"), m.group("digest"), text);
        }
        return parse0(host, m.group("repo"), m.group("tag"), m.group("digest"), text);
    }

    private static Reference parse0(String host, String repo, String tag, String digest, String text) {
        if (digest != null && !Digests.isValid(digest)) {
            throw new IllegalArgumentException("'" + text + "' has an invalid digest");
        }
        if (!REPOSITORY.matcher(repo).matches()) {
            throw new IllegalArgumentException("'" + text + "' has an invalid repository name");
        }
        return new Reference(host, repo, tag == null && digest == null ? "latest" : tag, digest);
    }

    /** What to ask the registry for: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    @Override
    public String toString() {
        return (host == null ? "" : host + "/") + repository + (tag == null ? "" : ":" + tag)
                + (digest == null ? "" : "@" + digest);
    }
}
