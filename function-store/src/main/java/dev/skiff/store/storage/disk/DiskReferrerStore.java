package dev.skiff.store.storage.disk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.storage.Referrer;
import dev.skiff.store.storage.ReferrerStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Referrer links as files {@code repositories/<name>/_referrers/<subject>/<alg>/<hex>}, each
 * holding the referrer's descriptor as JSON, written atomically.
 */
@ApplicationScoped
public class DiskReferrerStore implements ReferrerStore {
    private static final JsonMapper JSON = new JsonMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private final DiskLayout layout;

    public DiskReferrerStore(DiskLayout layout) {
        this.layout = layout;
    }

    @Override
    public void link(RepositoryName repository, Digest subject, Referrer referrer) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", referrer.mediaType());
        descriptor.put("size", referrer.size());
        referrer.artifactType().ifPresent(type -> descriptor.put("artifactType", type));
        descriptor.put("annotations", referrer.annotations());
        try {
            DiskFiles.writeAtomically(layout.tmp(), layout.referrer(repository, subject, referrer.digest()),
                    JSON.writeValueAsBytes(descriptor));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean unlink(RepositoryName repository, Digest subject, Digest referrer) {
        try {
            return Files.deleteIfExists(layout.referrer(repository, subject, referrer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Referrer> referrers(RepositoryName repository, Digest subject) {
        List<Referrer> referrers = new ArrayList<>();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            Path dir = layout.referrers(repository, subject).resolve(algorithm.id());
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    String hex = file.getFileName().toString();
                    if (algorithm.isValidEncoded(hex)) {
                        read(new Digest(algorithm, hex), file).ifPresent(referrers::add);
                    }
                }
            } catch (NoSuchFileException e) {
                // no referrer of this algorithm
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        referrers.sort(Comparator.comparing(referrer -> referrer.digest().toString()));
        return referrers;
    }

    @SuppressWarnings("unchecked")
    private static Optional<Referrer> read(Digest digest, Path file) throws IOException {
        Map<String, Object> descriptor;
        try {
            descriptor = JSON.readValue(Files.readAllBytes(file), OBJECT);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Object annotations = descriptor.getOrDefault("annotations", Map.of());
        return Optional.of(new Referrer(digest, (String) descriptor.get("mediaType"),
                ((Number) descriptor.get("size")).longValue(),
                Optional.ofNullable((String) descriptor.get("artifactType")), (Map<String, String>) annotations));
    }
}
