package dev.skiff.store.storage;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import java.util.List;

/** Which manifests of a repository name which subject: the index behind the referrers API. */
public interface ReferrerStore {

    /** Records {@code referrer}, a manifest of the repository whose subject is {@code subject}. */
    void link(RepositoryName repository, Digest subject, Referrer referrer);

    /** Forgets that {@code referrer} refers to {@code subject}; false if it was not recorded. */
    boolean unlink(RepositoryName repository, Digest subject, Digest referrer);

    /** The manifests recorded as referring to {@code subject}, sorted by digest. */
    List<Referrer> referrers(RepositoryName repository, Digest subject);
}
