package dev.skiff.gateway.store;

import dev.skiff.contracts.Descriptor;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.ImageManifest;
import dev.skiff.contracts.MediaTypes;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.functions.DeployedFunction;
import dev.skiff.oci.FetchedManifest;
import dev.skiff.oci.Reference;
import dev.skiff.oci.RegistryClient;
import dev.skiff.oci.RegistryException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Function versions in the function store. A version is an OCI image manifest in repository
 * {@code functions/<name>}: config = the spec ({@link MediaTypes#FUNCTION_CONFIG}), layers = the
 * code layers of the artefact it was deployed from. Each version gets a unique {@code v<time>}
 * tag; {@code latest} names the current one. The store is the source of truth: the gateway
 * lists functions by reading it.
 */
@ApplicationScoped
public class FunctionVersions {
    private static final Logger LOG = Logger.getLogger(FunctionVersions.class);
    private static final String PREFIX = "functions/";
    private static final String ANNOTATION_IMAGE = "dev.skiff.function.image";
    private static final String ANNOTATION_CREATED = "org.opencontainers.image.created";
    private static final java.util.regex.Pattern VERSION_TAG_PATTERN = java.util.regex.Pattern.compile("v[0-9]{17}");
    private static final DateTimeFormatter VERSION_TAG = DateTimeFormatter.ofPattern("'v'yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private final RegistryClient store;

    FunctionVersions(RegistryClient store) {
        this.store = store;
    }

    /**
     * Pushes a new version built from a code artefact and makes it {@code latest}. Nothing is
     * tagged until every blob is in place, so a failure leaves the previous version current.
     */
    public DeployedFunction push(FunctionSpec spec, String image) {
        Reference code = codeReference(image);
        ImageManifest artefact = codeManifest(code);
        checkHandler(spec, artefact);
        String repository = PREFIX + spec.name();
        Instant now = Instant.now();
        try {
            for (Descriptor layer : artefact.layers()) {
                store.mountBlob(repository, layer.digest(), code.repository());
            }
            byte[] config = RegistryClient.writeJson(spec);
            String configDigest = store.pushBlob(repository, config);
            ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
                    new Descriptor(MediaTypes.FUNCTION_CONFIG, configDigest, config.length, null),
                    artefact.layers(), Map.of(ANNOTATION_IMAGE, image, ANNOTATION_CREATED, now.toString()));
            String digest = store.putManifest(repository, VERSION_TAG.format(now), manifest);
            store.putManifest(repository, "latest", manifest);
            return new DeployedFunction(spec, digest, image, now);
        } catch (RegistryException e) {
            throw GatewayException.unavailable("function store", e.getMessage());
        }
    }

    /** Every deployed function: the {@code latest} version of each {@code functions/*} repository. */
    public List<DeployedFunction> loadAll() {
        List<DeployedFunction> functions = new ArrayList<>();
        for (String repository : store.catalog()) {
            if (repository.startsWith(PREFIX)) {
                load(repository).ifPresent(functions::add);
            }
        }
        return functions;
    }

    /** Deletes every version of a function from the store. */
    public void delete(String function) {
        String repository = PREFIX + function;
        try {
            Set<String> digests = new LinkedHashSet<>();
            for (String tag : store.tags(repository)) {
                try {
                    digests.add(store.manifest(repository, tag).digest());
                } catch (RegistryException e) {
                    if (!e.notFound()) {
                        throw e;
                    }
                }
            }
            digests.forEach(digest -> store.deleteManifest(repository, digest));
        } catch (RegistryException e) {
            throw GatewayException.unavailable("function store", e.getMessage());
        }
    }

    /** A version of a function: its tag, its digest, and whether it is the current one. */
    public record Version(String version, String digest, boolean current) {
    }

    /** Every version of a function, newest first. */
    public List<Version> versions(String function) {
        String repository = PREFIX + function;
        try {
            String current = store.manifest(repository, "latest").digest();
            return store.tags(repository).stream().filter(t -> VERSION_TAG_PATTERN.matcher(t).matches())
                    .sorted(java.util.Comparator.reverseOrder())
                    .map(tag -> {
                        String digest = store.manifest(repository, tag).digest();
                        return new Version(tag, digest, digest.equals(current));
                    }).toList();
        } catch (RegistryException e) {
            throw GatewayException.unavailable("function store", e.getMessage());
        }
    }

    /**
     * The version a rollback restores: the given one, or the newest version older than the current
     * one. Changes nothing; {@link #restore} makes it current.
     */
    public DeployedFunction rollbackTarget(String function, String version) {
        String repository = PREFIX + function;
        List<Version> versions = versions(function);
        Version target;
        if (version != null) {
            target = versions.stream().filter(v -> v.version().equals(version)).findFirst()
                    .orElseThrow(() -> GatewayException.invalid("version", function + " has no version " + version));
        } else {
            int current = -1;
            for (int i = 0; i < versions.size(); i++) {
                if (versions.get(i).current()) {
                    current = i;
                    break;
                }
            }
            String currentDigest = current < 0 ? null : versions.get(current).digest();
            target = versions.stream().skip(current + 1L).filter(v -> !v.digest().equals(currentDigest)).findFirst()
                    .orElseThrow(() -> GatewayException.conflict(function + " has no version older than the current one"));
        }
        try {
            return load(repository, target.digest())
                    .orElseThrow(() -> GatewayException.unavailable("function store", function + " version " + target.version() + " vanished"));
        } catch (RegistryException e) {
            throw GatewayException.unavailable("function store", e.getMessage());
        }
    }

    /** Makes an earlier version (from {@link #rollbackTarget}) current by moving {@code latest} to it; nothing is pushed but the tag. */
    public DeployedFunction restore(DeployedFunction target) {
        String repository = PREFIX + target.name();
        try {
            FetchedManifest fetched = store.manifest(repository, target.digest());
            store.putManifest(repository, "latest", fetched.content(), fetched.mediaType());
        } catch (RegistryException e) {
            throw GatewayException.unavailable("function store", e.getMessage());
        }
        return load(repository).orElseThrow(() -> GatewayException.unavailable("function store", "latest vanished"));
    }

    private Optional<DeployedFunction> load(String repository) {
        return load(repository, "latest");
    }

    /** The function version a tag or digest names, or empty when there is none (or it is not a function version). */
    private Optional<DeployedFunction> load(String repository, String reference) {
        try {
            FetchedManifest fetched = store.manifest(repository, reference);
            ImageManifest manifest = RegistryClient.parseManifest(fetched);
            if (manifest.config() == null || !MediaTypes.FUNCTION_CONFIG.equals(manifest.config().mediaType())) {
                LOG.warnf("%s:%s is not a Skiff function version; skipped", repository, reference);
                return Optional.empty();
            }
            FunctionSpec spec = RegistryClient.json().readValue(store.blob(repository, manifest.config().digest()), FunctionSpec.class);
            Map<String, String> annotations = manifest.annotations() == null ? Map.of() : manifest.annotations();
            Instant created = annotations.containsKey(ANNOTATION_CREATED) ? Instant.parse(annotations.get(ANNOTATION_CREATED)) : Instant.EPOCH;
            return Optional.of(new DeployedFunction(spec, fetched.digest(), annotations.get(ANNOTATION_IMAGE), created));
        } catch (RegistryException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read %s:%s: %s; skipped", repository, reference, e.getMessage());
            return Optional.empty();
        }
    }

    private static Reference codeReference(String image) {
        Reference ref;
        try {
            ref = Reference.parse(image);
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalid("image", e.getMessage());
        }
        if (ref.host() != null) {
            throw GatewayException.invalid("image", "only artefacts in the function store can be deployed; drop the host '"
                    + ref.host() + "'");
        }
        return ref;
    }

    private ImageManifest codeManifest(Reference code) {
        try {
            ImageManifest manifest = RegistryClient.parseManifest(store.manifest(code.repository(), code.manifestReference()));
            if (manifest.layers().isEmpty()) {
                throw GatewayException.invalid("image", code + " has no layers");
            }
            return manifest;
        } catch (RegistryException e) {
            if (e.notFound()) {
                throw GatewayException.invalid("image", "no artefact " + code + " in the function store; upload code first");
            }
            throw GatewayException.unavailable("function store", e.getMessage());
        }
    }

    private static void checkHandler(FunctionSpec spec, ImageManifest artefact) {
        List<String> files = artefact.layers().stream()
                .map(l -> l.annotations() == null ? null : l.annotations().get(MediaTypes.ANNOTATION_TITLE))
                .toList();
        if (files.contains(null)) {
            throw GatewayException.invalid("image", "every layer needs an " + MediaTypes.ANNOTATION_TITLE + " file name");
        }
        if (FunctionSpec.RUNTIME_EXEC.equals(spec.runtime()) && !files.contains(spec.handler())) {
            throw GatewayException.invalid("handler", "'" + spec.handler() + "' is not among the artefact's files " + files);
        }
        if (FunctionSpec.RUNTIME_JAVA.equals(spec.runtime()) && files.stream().noneMatch(f -> f.endsWith(".jar"))) {
            throw GatewayException.invalid("image", "the java runtime needs a .jar among the artefact's files " + files);
        }
    }
}
