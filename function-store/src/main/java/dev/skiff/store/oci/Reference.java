package dev.skiff.store.oci;

/** What names a manifest in a repository: a tag or a digest. */
public sealed interface Reference permits Tag, Digest {

    /** A reference with a colon is a digest (tags cannot contain one), anything else a tag. */
    static Reference parse(String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return Digest.parse(text);
        }
        return new Tag(text);
    }
}
