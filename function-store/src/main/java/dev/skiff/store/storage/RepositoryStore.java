package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.oci.Tag;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What each repository holds: links to the blobs pushed into it, its manifests and its tags. A
 * repository exists (in the catalog, with a tag list) while it holds at least one manifest.
 */
public interface RepositoryStore {

    /** Makes a stored blob part of the repository. */
    void linkBlob(RepositoryName repository, Digest digest);

    boolean hasBlob(RepositoryName repository, Digest digest);

    /** Removes the blob from the repository; false if it was not there. */
    boolean unlinkBlob(RepositoryName repository, Digest digest);

    /** Links a stored manifest into the repository and, when {@code tag} is not null, points the tag at it. */
    void linkManifest(RepositoryName repository, ManifestLink manifest, Tag tag);

    Optional<ManifestLink> manifest(RepositoryName repository, Digest digest);

    /** Every manifest of the repository (tagged or not). */
    List<ManifestLink> manifests(RepositoryName repository);

    /** The digest the tag points at, if the tag exists. */
    Optional<Digest> resolve(RepositoryName repository, Tag tag);

    /** Removes the manifest and every tag pointing at it; false if it was not there. */
    boolean unlinkManifest(RepositoryName repository, Digest digest);

    /** Removes the tag only; false if it was not there. */
    boolean untag(RepositoryName repository, Tag tag);

    /** The repository's tags, sorted; empty when the repository does not exist. */
    Optional<List<String>> tags(RepositoryName repository);

    /** The names of all existing repositories, sorted. */
    List<String> repositories();

    /** Removes the links to these blobs from every repository (existing or not); returns how many links went. */
    int unlinkEverywhere(Set<Digest> digests);
}
