package dev.skiff.store.registry;

import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.PageRequest;
import dev.skiff.store.oci.RegistryException;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.RepositoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Listing what the registry holds: repositories (the catalog) and each repository's tags. */
@ApplicationScoped
public class CatalogService {
    private final RepositoryStore repositories;

    CatalogService(RepositoryStore repositories) {
        this.repositories = repositories;
    }

    /** A page of the repository's tags, sorted; NAME_UNKNOWN when the repository holds no manifest. */
    public PageRequest.Page tags(RepositoryName repository, PageRequest page) {
        return repositories.tags(repository).map(page::apply)
                .orElseThrow(() -> new RegistryException(OciErrorCode.NAME_UNKNOWN,
                        "repository name not known to registry", Map.of("name", repository.value())));
    }

    /** A page of the names of repositories holding at least one manifest, sorted. */
    public PageRequest.Page repositories(PageRequest page) {
        return page.apply(repositories.repositories());
    }
}
