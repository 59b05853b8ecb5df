package dev.skiff.store.registry;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.Referrer;
import dev.skiff.store.storage.ReferrerStore;
import dev.skiff.store.storage.RepositoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The referrers API: which manifests of a repository name a given manifest as their subject. */
@ApplicationScoped
public class ReferrerService {
    private final ReferrerStore referrers;
    private final RepositoryStore repositories;

    ReferrerService(ReferrerStore referrers, RepositoryStore repositories) {
        this.referrers = referrers;
        this.repositories = repositories;
    }

    /**
     * The manifests of the repository whose subject is {@code subject}, only those of
     * {@code artifactType} when given. The subject itself need not exist: its referrers may be
     * pushed first. A link left behind by an interrupted delete is skipped: only manifests the
     * repository still holds are listed.
     */
    public List<Referrer> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
        return referrers.referrers(repository, subject).stream()
                .filter(referrer -> artifactType.isEmpty() || referrer.artifactType().equals(artifactType))
                .filter(referrer -> repositories.manifest(repository, referrer.digest()).isPresent())
                .toList();
    }
}
