package dev.skiff.contracts;

/** Media types of the OCI objects Skiff reads and writes. */
public final class MediaTypes {
    /** OCI image manifest (a function version, or a code artifact). */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** OCI image index. */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Docker v2 schema 2 manifest, accepted for compatibility. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** Docker manifest list, accepted for compatibility. */
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** The OCI empty descriptor's media type ({@code {}}), config of plain artifacts. */
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    /** Config blob of a function version: a {@link FunctionSpec} as JSON. */
    public static final String FUNCTION_CONFIG = "application/vnd.skiff.function.config.v1+json";
    /** artifactType of code uploaded through the gateway (each layer one file, named by its title annotation). */
    public static final String CODE_ARTIFACT = "application/vnd.skiff.code.v1";
    /** Media type of one code file layer. */
    public static final String CODE_FILE = "application/vnd.skiff.code.file.v1";
    /** Layer annotation carrying the file name, as ORAS writes it. */
    public static final String ANNOTATION_TITLE = "org.opencontainers.image.title";

    private MediaTypes() {
    }
}
