package dev.skiff.agent.driver.firecracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.Endpoint;
import dev.skiff.agent.driver.LaunchRequest;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.contracts.FunctionSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firecracker driver against {@link FakeFirecracker}, a stand-in that answers as Firecracker's
 * API definition says: Firecracker itself cannot run here (no usable KVM, not packaged), so these
 * tests check what the driver asks of Firecracker, in which order, and what it makes of the
 * answers; not that a real Firecracker boots the guest.
 */
class FirecrackerDriverTest {
    private static final String SUBNET = "127.77.0.0/24";
    private static final String GUEST_0 = "127.77.0.2";
    private static final String GUEST_1 = "127.77.0.6";

    @TempDir
    Path dir;
    private Path images;
    private Path record;
    private int guestPort;
    private final List<RunningInstance> started = new ArrayList<>();

    @BeforeEach
    void baseImageAndRecorder() throws IOException {
        images = Files.createDirectories(dir.resolve("images/exec"));
        Files.writeString(images.resolve("vmlinux"), "an ELF kernel");
        Files.writeString(images.resolve("base.cpio.gz"), "a root archive");
        record = Files.createDirectories(dir.resolve("record"));
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(GUEST_0))) {
            guestPort = socket.getLocalPort();
        }
    }

    @AfterEach
    void killInstances() {
        started.forEach(RunningInstance::kill);
    }

    @Test
    void coldBootConfiguresTheMicrovmOverTheApiThenSavesItAsTheVersionsSnapshot() throws Exception {
        FirecrackerDriver driver = driver(fake(), true);
        FunctionVersion version = version("sha256:ab");

        Endpoint endpoint = await(start(driver, "hello-1", version));

        assertEquals(new Endpoint(GUEST_0, guestPort), endpoint, "the watchdog at the guest's address on TAP slot 0");
        // the version's initrd, named after the heap it was made for and the base root it was made from
        Path initrd;
        try (var files = Files.list(version.codeDir().getParent())) {
            initrd = files.filter(f -> f.getFileName().toString().matches("vm-exec-32-[0-9a-f]+-[0-9a-f]+\\.initrd"))
                    .findFirst().orElseThrow();
        }
        Path staged = stagedSnapshotDir(requests("hello-1").get(5));
        assertEquals(List.of(
                "PUT /machine-config {\"vcpu_count\":1,\"mem_size_mib\":128}",
                "PUT /boot-source {\"kernel_image_path\":\"" + images.resolve("vmlinux") + "\",\"initrd_path\":\"" + initrd + "\","
                        + "\"boot_args\":\"console=ttyS0 reboot=k panic=1 pci=off quiet skiff.ip=127.77.0.2/30 skiff.gw=127.77.0.1\"}",
                "PUT /network-interfaces/eth0 {\"iface_id\":\"eth0\",\"host_dev_name\":\"fctap0\",\"guest_mac\":\"06:00:7F:4D:00:02\"}",
                "PUT /actions {\"action_type\":\"InstanceStart\"}",
                "PATCH /vm {\"state\":\"Paused\"}",
                "PUT /snapshot/create {\"snapshot_type\":\"Full\",\"snapshot_path\":\"" + staged.resolve("vmstate") + "\","
                        + "\"mem_file_path\":\"" + staged.resolve("mem") + "\"}",
                "PATCH /vm {\"state\":\"Resumed\"}"), requests("hello-1"));
        Path snapshot = onlySnapshot();
        assertEquals("fake vmstate", Files.readString(snapshot.resolve("vmstate")), "published under the version's key");
        assertEquals("fake memory", Files.readString(snapshot.resolve("mem")));
        assertFalse(Files.exists(staged), "the staged directory became the snapshot");
    }

    @Test
    void laterInstancesAreRestoredFromTheSnapshotOnTheirOwnTapAndAddress() throws Exception {
        FirecrackerDriver driver = driver(fake(), true);
        FunctionVersion version = version("sha256:ab");
        await(start(driver, "hello-1", version));
        Path snapshot = onlySnapshot();

        RunningInstance second = start(driver, "hello-2", version);
        Endpoint endpoint = await(second);

        assertEquals(new Endpoint(GUEST_1, guestPort), endpoint, "slot 1, re-addressed after the restore");
        assertTrue(((FirecrackerInstance) second).restored());
        assertEquals(List.of(
                "PUT /snapshot/load {\"snapshot_path\":\"" + snapshot.resolve("vmstate") + "\","
                        + "\"mem_backend\":{\"backend_type\":\"File\",\"backend_path\":\"" + snapshot.resolve("mem") + "\"},"
                        + "\"resume_vm\":true,\"network_overrides\":[{\"iface_id\":\"eth0\",\"host_dev_name\":\"fctap1\"}]}",
                "CONSOLE SKIFF_NET 127.77.0.6/30 127.77.0.5"), requests("hello-2"));
    }

    @Test
    void aFaultMessageBecomesABootFailureInFirecrackersWords() throws Exception {
        FirecrackerDriver driver = driver(fake("--fault", "PUT /boot-source", "Invalid kernel path: no such file"), false);

        RunningInstance instance = start(driver, "hello-1", version("sha256:ab"));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> instance.ready().get(30, TimeUnit.SECONDS));

        assertEquals("Firecracker refused PUT /boot-source (400): Invalid kernel path: no such file", failure.getCause().getMessage());
        assertEquals("Invalid kernel path: no such file", ((FirecrackerApiException) failure.getCause()).faultMessage());
        assertEquals(2, requests("hello-1").size(), "nothing is sent after the refusal");
        instance.kill();
        instance.exited().get(10, TimeUnit.SECONDS);
        fake(); // the same binary, now without the fault
        assertEquals(new Endpoint(GUEST_0, guestPort), await(start(driver, "hello-2", version("sha256:ab"))),
                "the dead VM gave its TAP slot back");
    }

    @Test
    void aSnapshotFirecrackerCannotLoadIsDroppedAndLaterInstancesBootCold() throws Exception {
        FirecrackerDriver driver = driver(fake("--fault", "PUT /snapshot/load", "Cannot load snapshot: bad version"), true);
        FunctionVersion version = version("sha256:ab");
        await(start(driver, "hello-1", version));

        RunningInstance refused = start(driver, "hello-2", version);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.ready().get(30, TimeUnit.SECONDS));
        assertTrue(failure.getCause().getMessage().contains("Cannot load snapshot: bad version"), failure.getCause().getMessage());
        refused.exited().get(10, TimeUnit.SECONDS);

        RunningInstance third = start(driver, "hello-3", version);
        await(third);
        assertFalse(((FirecrackerInstance) third).restored());
        assertEquals("PUT /machine-config {\"vcpu_count\":1,\"mem_size_mib\":128}", requests("hello-3").get(0));
        assertEquals(4, requests("hello-3").size(), "booted cold and not saved again");
        try (var entries = Files.list(dir.resolve("data/snapshots"))) {
            assertEquals(0, entries.count(), "the refused snapshot is gone");
        }
    }

    @Test
    void aMissingVmlinuxIsExplainedWithTheScriptThatMakesIt() throws Exception {
        Files.delete(images.resolve("vmlinux"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> driver(fake(), true));
        assertTrue(e.getMessage().contains("no vmlinux") && e.getMessage().contains("images/build-base-image.sh"), e.getMessage());
    }

    private FirecrackerDriver driver(Path binary, boolean snapshots) {
        return new FirecrackerDriver(new FirecrackerSettings(binary.toString(), dir.resolve("images"), "fctap", SUBNET, snapshots,
                Optional.empty(), Optional.empty(), Optional.empty(), 2, guestPort), dir.resolve("data"));
    }

    /** A stand-in firecracker: a script that runs {@link FakeFirecracker} with the test's options before Firecracker's own. */
    private Path fake(String... options) throws IOException, URISyntaxException {
        Path classes = Path.of(FakeFirecracker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -Xshare:auto -cp '" + classes
                + "' " + FakeFirecracker.class.getName() + " --record '" + record + "' --guest-port " + guestPort);
        for (String option : options) {
            script.append(" '").append(option).append('\'');
        }
        script.append(" \"$@\"\n");
        Path binary = dir.resolve("firecracker");
        Files.writeString(binary, script);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
        return binary;
    }

    private FunctionVersion version(String digest) throws IOException {
        Path code = Files.createDirectories(dir.resolve("cache").resolve(digest.replace(':', '-')).resolve("code"));
        Files.writeString(code.resolve("handler.sh"), "#!/bin/sh\ncat\n");
        FunctionSpec spec = new FunctionSpec("hello", "exec", "handler.sh", Map.of(), null, null, 128L << 20, 1000, 1, 0, 5, 60, 10);
        return new FunctionVersion(spec, digest, code);
    }

    private RunningInstance start(FirecrackerDriver driver, String id, FunctionVersion version) throws IOException {
        RunningInstance instance = driver.start(new LaunchRequest(id, version, Files.createDirectories(dir.resolve("scratch").resolve(id))));
        started.add(instance);
        return instance;
    }

    private static Endpoint await(RunningInstance instance) throws Exception {
        return instance.ready().get(60, TimeUnit.SECONDS);
    }

    private List<String> requests(String id) throws IOException {
        return Files.readAllLines(record.resolve(id + ".log"));
    }

    private Path onlySnapshot() throws IOException {
        try (var entries = Files.list(dir.resolve("data/snapshots"))) {
            List<Path> all = entries.toList();
            assertEquals(1, all.size(), all.toString());
            assertTrue(all.get(0).getFileName().toString().matches("sha256-ab-[0-9a-f]{12}\\.fc"), all.toString());
            return all.get(0);
        }
    }

    /** The staged directory a snapshot/create request named. */
    private static Path stagedSnapshotDir(String request) {
        String path = request.replaceAll(".*\"snapshot_path\":\"([^\"]*)\".*", "$1");
        return Path.of(path).getParent();
    }
}
