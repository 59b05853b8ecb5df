package dev.skiff.agent.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.AgentException;
import dev.skiff.contracts.Descriptor;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.ImageManifest;
import dev.skiff.contracts.MediaTypes;
import dev.skiff.oci.Digests;
import dev.skiff.oci.FetchedManifest;
import dev.skiff.oci.RegistryClient;
import dev.skiff.oci.RegistryException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Pulls function versions from the store by digest and caches them on disk by digest. Every
 * blob is verified against its digest; a version's directory appears (atomic rename) only when
 * all of its code is in place, so a crash mid-pull leaves nothing half-written behind.
 */
@ApplicationScoped
public class ArtifactCache {
    private static final Logger LOG = Logger.getLogger(ArtifactCache.class);
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final RegistryClient registry;
    private final Path root;
    private final Map<String, FunctionVersion> versions = new ConcurrentHashMap<>();
    private final Map<String, Object> pullLocks = new ConcurrentHashMap<>();

    ArtifactCache(AgentConfig config) {
        this.registry = new RegistryClient(config.storeUrl(), config.controlPlaneTimeout(), config.storeToken().orElse(null));
        this.root = config.dataDir().resolve("artifacts");
    }

    /** The version of a function with this manifest digest, pulled now if not cached. Blocking. */
    public FunctionVersion resolve(String function, String digest) {
        FunctionVersion cached = versions.get(digest);
        if (cached != null) {
            return checkName(cached, function);
        }
        synchronized (pullLocks.computeIfAbsent(digest, d -> new Object())) {
            cached = versions.get(digest);
            if (cached == null) {
                cached = pull(function, digest);
                versions.put(digest, cached);
            }
        }
        return checkName(cached, function);
    }

    /** Digests of the versions cached here, for placement to prefer this node. */
    public java.util.List<String> cached() {
        return java.util.List.copyOf(versions.keySet());
    }

    private static FunctionVersion checkName(FunctionVersion version, String function) {
        if (!version.name().equals(function)) {
            throw AgentException.badRequest("version " + version.digest() + " belongs to " + version.name()
                    + ", not " + function, "digest");
        }
        return version;
    }

    private FunctionVersion pull(String function, String digest) {
        String repository = "functions/" + function;
        Path dir = root.resolve(Digests.algorithm(digest)).resolve(digest.substring(digest.indexOf(':') + 1));
        try {
            ImageManifest manifest = readManifest(repository, digest);
            FunctionSpec spec = readSpec(repository, manifest);
            if (!Files.isDirectory(dir.resolve("code"))) {
                downloadCode(repository, manifest, dir);
            }
            LOG.infof("function %s version %s cached", function, digest);
            return new FunctionVersion(spec, digest, dir.resolve("code"));
        } catch (RegistryException e) {
            if (e.notFound()) {
                throw AgentException.unknownVersion(function, digest);
            }
            throw AgentException.artifactUnavailable(function, e.getMessage());
        } catch (IOException e) {
            throw AgentException.artifactUnavailable(function, e.getMessage());
        }
    }

    /** Step 1: the manifest, verified against the digest that pins it. */
    private ImageManifest readManifest(String repository, String digest) {
        FetchedManifest fetched = registry.manifest(repository, digest);
        ImageManifest manifest = RegistryClient.parseManifest(fetched);
        if (manifest.config() == null || !MediaTypes.FUNCTION_CONFIG.equals(manifest.config().mediaType())) {
            throw new RegistryException(422, "MANIFEST_INVALID", digest + " is not a Skiff function version");
        }
        return manifest;
    }

    /** Step 2: the function spec, from the manifest's config blob. */
    private FunctionSpec readSpec(String repository, ImageManifest manifest) throws IOException {
        ObjectMapper json = RegistryClient.json();
        return json.readValue(registry.blob(repository, manifest.config().digest()), FunctionSpec.class);
    }

    /** Step 3: every code layer into a temporary directory, then one atomic rename. */
    private void downloadCode(String repository, ImageManifest manifest, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, "pull-");
        try {
            Path code = Files.createDirectory(staging.resolve("code"));
            for (Descriptor layer : manifest.layers()) {
                String name = layer.annotations() == null ? null : layer.annotations().get(MediaTypes.ANNOTATION_TITLE);
                if (name == null || !FILE_NAME.matcher(name).matches() || name.startsWith(".")) {
                    throw new RegistryException(422, "MANIFEST_INVALID", "layer " + layer.digest()
                            + " has no usable " + MediaTypes.ANNOTATION_TITLE + " file name");
                }
                Path target = code.resolve(name);
                registry.downloadBlob(repository, layer.digest(), target);
                target.toFile().setExecutable(true, true);
                target.toFile().setWritable(false, false);
            }
            Files.move(code, dir.resolve("code"), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("could not clean %s: %s", dir, e.getMessage());
        }
    }
}
