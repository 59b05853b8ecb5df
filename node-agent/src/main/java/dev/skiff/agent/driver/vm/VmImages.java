package dev.skiff.agent.driver.vm;

import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.secrets.FunctionSecrets;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The files a VM boots: the runtime's shared base image (a kernel and the root archive, never written)
 * and, per function version, an initrd made of the base archive followed by the version's own
 * {@link GuestArchive} (Linux unpacks concatenated archives in order). The per-version initrd is
 * cached beside the version's code and made again when the base image is newer.
 *
 * <p>Each runtime's directory holds both kernels images/build-base-image.sh makes: {@code vmlinuz}
 * (the distribution's compressed bzImage, which QEMU boots) and {@code vmlinux} (the same kernel
 * uncompressed, the ELF image Firecracker needs on x86-64).
 */
public final class VmImages {
    /** The compressed kernel (bzImage), as QEMU boots it. */
    public static final String BZIMAGE = "vmlinuz";
    /** The uncompressed ELF kernel, as Firecracker boots it. */
    public static final String VMLINUX = "vmlinux";
    static final String BASE_ROOT = "base.cpio.gz";
    static final String RUNTIME_DRIVE = "runtime.img";

    /** A runtime's base image; {@code drive} is its read-only runtime drive (the JVM for java), or null. */
    public record BaseImage(String runtime, Path kernel, Path root, Path drive) {
        /** The files a VM of this image boots from, for snapshot fingerprints. */
        public List<Path> files() {
            return drive == null ? List.of(kernel, root) : List.of(kernel, root, drive);
        }
    }

    private final Path imageDir;
    private final String kernelName;
    private final Optional<UserPrincipal> vmUser;
    private final Optional<Path> staging;
    private final byte[] fingerprintKey;

    /**
     * @param kernelName which kernel the VMM boots: {@link #BZIMAGE} or {@link #VMLINUX}
     * @param vmUser     the user the VMM runs as, who must read the initrd (it holds the function's env: no one else may)
     */
    public VmImages(Path imageDir, String kernelName, Optional<UserPrincipal> vmUser) {
        this(imageDir, kernelName, vmUser, Optional.empty());
    }

    /**
     * @param staging where the boot files are copied when the VMM runs as another user: a directory
     *                that user can reach. The image and data directories may lie under one it cannot
     *                enter (a checkout in a 0700 home or temporary directory), and it opens them itself.
     */
    public VmImages(Path imageDir, String kernelName, Optional<UserPrincipal> vmUser, Optional<Path> staging) {
        this(imageDir, kernelName, vmUser, staging, randomKey());
    }

    /**
     * @param fingerprintKey the key of secret fingerprints in initrd names ({@link FunctionSecrets#fingerprint}):
     *                       the agent's own, so names cannot be matched against guessed values elsewhere
     */
    public VmImages(Path imageDir, String kernelName, Optional<UserPrincipal> vmUser, Optional<Path> staging, byte[] fingerprintKey) {
        this.fingerprintKey = fingerprintKey.clone();
        this.imageDir = imageDir;
        this.kernelName = kernelName;
        this.vmUser = vmUser;
        this.staging = vmUser.isPresent() ? staging : Optional.empty();
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * A base file where the VMM can open it: itself, or its copy in the staging directory (made once,
     * with its time stamp to the millisecond, as snapshot keys read it; made again when the source changes).
     */
    private Path reachable(String runtime, Path file) {
        if (staging.isEmpty()) {
            return file;
        }
        try {
            Path dir = Files.createDirectories(staging.get().resolve(runtime));
            Path copy = dir.resolve(file.getFileName());
            if (Files.exists(copy) && Files.size(copy) == Files.size(file)
                    && Files.getLastModifiedTime(copy).toMillis() == Files.getLastModifiedTime(file).toMillis()) {
                return copy;
            }
            Path tmp = Files.createTempFile(dir, "base-", ".tmp");
            try {
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
                Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + file + " where the VMM can read it: " + e.getMessage(), e);
        }
    }

    /** The base image of a runtime, or an explanation of what is missing. */
    public BaseImage base(String runtime) {
        Path dir = imageDir.resolve(runtime);
        Path kernel = dir.resolve(kernelName);
        Path root = dir.resolve(BASE_ROOT);
        if (!Files.isReadable(kernel) || !Files.isReadable(root)) {
            String what = Files.isReadable(root) ? "no " + kernelName + " (" + kernelDescription() + ")" : "no base image";
            throw new IllegalStateException(what + " for runtime '" + runtime + "' in " + imageDir
                    + " (built: " + String.join(", ", runtimes()) + "); run images/build-base-image.sh");
        }
        Path drive = dir.resolve(RUNTIME_DRIVE);
        if ("java".equals(runtime) && !Files.isReadable(drive)) {
            throw new IllegalStateException("the java base image in " + dir + " has no " + RUNTIME_DRIVE
                    + "; run images/build-base-image.sh java");
        }
        return new BaseImage(runtime, reachable(runtime, kernel), reachable(runtime, root),
                Files.isReadable(drive) ? reachable(runtime, drive) : null);
    }

    private String kernelDescription() {
        return kernelName.equals(VMLINUX) ? "the uncompressed ELF kernel Firecracker boots" : "the compressed kernel QEMU boots";
    }

    /** Runtimes that have a base image. */
    public List<String> runtimes() {
        if (!Files.isDirectory(imageDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(imageDir)) {
            return dirs.filter(d -> Files.isReadable(d.resolve(kernelName)) && Files.isReadable(d.resolve(BASE_ROOT)))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The initrd of a version without secrets. */
    public Path initrd(FunctionVersion version, BaseImage base, long heapMib) {
        return initrd(version, base, heapMib, FunctionSecrets.NONE);
    }

    /**
     * The initrd of a version: made once, then reused while the base image and the secrets it carries
     * are unchanged. A version with secrets has one initrd per set of secret values, named by their
     * keyed fingerprint (so snapshots, keyed by their files, follow a changed secret too); when the
     * values change, the initrds holding the old ones are deleted. Blocking file I/O.
     */
    public Path initrd(FunctionVersion version, BaseImage base, long heapMib, FunctionSecrets secrets) {
        try {
            // named after the base root it was made from (its time and size), not compared by time
            // stamps: two files written within one tick of a coarse file system clock look equally old,
            // and an initrd made again for every VM changed every snapshot key
            String name = "vm-" + base.runtime() + "-" + heapMib + "-"
                    + Long.toHexString(Files.getLastModifiedTime(base.root()).toMillis()) + "-"
                    + Long.toHexString(Files.size(base.root()));
            // beside the version's code, or in the staging directory (named after the version there)
            Path dir = staging.isPresent() ? base.root().getParent() : version.codeDir().getParent();
            String prefix = (staging.isPresent() ? version.digest().replace(':', '-') + "-" : "") + name;
            Path target = dir.resolve(prefix + (secrets.isEmpty() ? "" : "-s" + secrets.fingerprint(fingerprintKey)) + ".initrd");
            if (Files.exists(target)) {
                return target;
            }
            Path tmp = Files.createTempFile(target.getParent(), "vm-", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    Files.copy(base.root(), out);
                    GZIPOutputStream gzip = new GZIPOutputStream(out);
                    Cpio.write(GuestArchive.entries(version.spec(), codeFiles(version.codeDir()), heapMib, secrets), gzip);
                    gzip.finish();
                }
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--------"));
                if (vmUser.isPresent()) {
                    Files.setOwner(tmp, vmUser.get());
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (!secrets.isEmpty()) {
                deleteStaleSecretInitrds(dir, prefix + "-s", target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the initrd of " + version.name() + ": " + e.getMessage(), e);
        }
    }

    /** Initrds of the same version and shape holding other (older) secret values: nothing boots them any more. */
    private static void deleteStaleSecretInitrds(Path dir, String prefix, Path keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix) && !f.equals(keep)).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static List<GuestArchive.CodeFile> codeFiles(Path codeDir) throws IOException {
        List<GuestArchive.CodeFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(codeDir)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new GuestArchive.CodeFile(path.getFileName().toString(), Files.isExecutable(path),
                        Files.readAllBytes(path)));
            }
        }
        return files;
    }
}
