package dev.skiff.agent.driver.firecracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skiff.contracts.FunctionSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The requests and the command line, exactly as Firecracker's API definition wants them. */
class FirecrackerRequestsTest {
    private static final Path KERNEL = Path.of("/images/exec/vmlinux");
    private static final Path INITRD = Path.of("/cache/sha256-ab/vm-exec.initrd");
    private static final Path SNAPSHOT = Path.of("/data/snapshots/sha256-ab-0123456789ab.fc");

    private static FirecrackerSettings settings(Optional<String> runAs) {
        return new FirecrackerSettings("/usr/local/bin/firecracker", Path.of("/images"), "skiff-tap", "172.20.0.0/24", true,
                runAs, runAs.map(u -> "65534"), runAs.map(u -> "kvm"), 4, 8080);
    }

    private static FunctionSpec spec(long memoryBytes, int cpuMillis) {
        return new FunctionSpec("hello", "exec", "handler.sh", Map.of(), null, null, memoryBytes, cpuMillis, 1, 0, 5, 60, 10);
    }

    @Test
    void coldBootIsMachineThenBootSourceThenNetworkThenStart() {
        GuestNetwork network = GuestNetwork.of("172.20.0.0/24", "skiff-tap", 3);
        FirecrackerVm vm = FirecrackerCommand.vm(settings(Optional.empty()), spec(256L << 20, 1500), KERNEL, INITRD, null, network);

        assertEquals(List.of(
                new ApiCall("PUT", "/machine-config", "{\"vcpu_count\":2,\"mem_size_mib\":256}"),
                new ApiCall("PUT", "/boot-source", "{\"kernel_image_path\":\"/images/exec/vmlinux\","
                        + "\"initrd_path\":\"/cache/sha256-ab/vm-exec.initrd\","
                        + "\"boot_args\":\"console=ttyS0 reboot=k panic=1 pci=off quiet skiff.ip=172.20.0.14/30 skiff.gw=172.20.0.13\"}"),
                new ApiCall("PUT", "/network-interfaces/eth0",
                        "{\"iface_id\":\"eth0\",\"host_dev_name\":\"skiff-tap3\",\"guest_mac\":\"06:00:AC:14:00:0E\"}"),
                new ApiCall("PUT", "/actions", "{\"action_type\":\"InstanceStart\"}")), FirecrackerRequests.coldBoot(vm));
    }

    @Test
    void memoryAndVcpusAreRoundedAsForQemuWithinFirecrackersLimits() {
        GuestNetwork network = GuestNetwork.of("172.20.0.0/24", "skiff-tap", 0);
        FirecrackerVm small = FirecrackerCommand.vm(settings(Optional.empty()), spec(32L << 20, 1), KERNEL, INITRD, null, network);
        assertEquals(96, small.memoryMib(), "the guest kernel's minimum");
        assertEquals(1, small.vcpus());
        FirecrackerVm big = FirecrackerCommand.vm(new FirecrackerSettings("firecracker", Path.of("/images"), "t", "172.20.0.0/24",
                true, Optional.empty(), Optional.empty(), Optional.empty(), 64, 8080), spec((512L << 20) + 1, 40_000), KERNEL, INITRD, null, network);
        assertEquals(513, big.memoryMib(), "rounded up to whole MiB");
        assertEquals(32, big.vcpus(), "Firecracker's most");
    }

    @Test
    void snapshotsArePausedCreatedResumedAndLoadedOntoTheVmsOwnTap() {
        assertEquals(new ApiCall("PATCH", "/vm", "{\"state\":\"Paused\"}"), FirecrackerRequests.pause());
        assertEquals(new ApiCall("PATCH", "/vm", "{\"state\":\"Resumed\"}"), FirecrackerRequests.resume());
        assertEquals(new ApiCall("PUT", "/snapshot/create", "{\"snapshot_type\":\"Full\","
                + "\"snapshot_path\":\"" + SNAPSHOT + "/vmstate\",\"mem_file_path\":\"" + SNAPSHOT + "/mem\"}"),
                FirecrackerRequests.snapshotCreate(SNAPSHOT));
        assertEquals(new ApiCall("PUT", "/snapshot/load", "{\"snapshot_path\":\"" + SNAPSHOT + "/vmstate\","
                + "\"mem_backend\":{\"backend_type\":\"File\",\"backend_path\":\"" + SNAPSHOT + "/mem\"},\"resume_vm\":true,"
                + "\"network_overrides\":[{\"iface_id\":\"eth0\",\"host_dev_name\":\"skiff-tap5\"}]}"),
                FirecrackerRequests.snapshotLoad(SNAPSHOT, GuestNetwork.of("172.20.0.0/24", "skiff-tap", 5)));
    }

    @Test
    void eachSlotIsASlash30OfTheSubnetWithItsOwnTapAndMac() {
        GuestNetwork first = GuestNetwork.of("172.20.0.0/24", "skiff-tap", 0);
        assertEquals(new GuestNetwork(0, "skiff-tap0", "172.20.0.1", "172.20.0.2", "06:00:AC:14:00:02"), first);
        GuestNetwork last = GuestNetwork.of("10.9.0.0/16", "t", 16383);
        assertEquals(new GuestNetwork(16383, "t16383", "10.9.255.253", "10.9.255.254", "06:00:0A:09:FF:FE"), last);
        assertEquals("skiff.ip=172.20.0.2/30 skiff.gw=172.20.0.1", first.bootArgs());
        assertEquals("SKIFF_NET 172.20.0.2/30 172.20.0.1", first.consoleCommand());
        assertEquals(64, GuestNetwork.slots("172.20.0.0/24"));
        assertEquals(1, GuestNetwork.slots("172.20.0.4/30"));
        assertEquals(0, GuestNetwork.slots("172.20.0.4/31"));
        assertThrows(IllegalArgumentException.class, () -> GuestNetwork.of("172.20.0.0/24", "t", 64));
        assertThrows(IllegalArgumentException.class, () -> GuestNetwork.slots("172.20.0/24"));
        assertThrows(IllegalArgumentException.class, () -> GuestNetwork.slots("172.20.0.0"));
        assertThrows(IllegalArgumentException.class, () -> GuestNetwork.slots("172.300.0.0/24"));
    }

    @Test
    void firecrackerRunsOnItsApiSocketThroughSetprivDroppedWhenTheAgentIsRoot() {
        Path socket = Path.of("/tmp/skiff-vm-1/42/api.sock");
        assertEquals(List.of("setpriv", "--pdeathsig", "KILL", "--no-new-privs", "--",
                "/usr/local/bin/firecracker", "--api-sock", "/tmp/skiff-vm-1/42/api.sock", "--id", "hello-0a1b2c3d"),
                FirecrackerCommand.argv(settings(Optional.empty()), socket, "hello-0a1b2c3d"));
        assertEquals(List.of("setpriv", "--pdeathsig", "KILL", "--no-new-privs", "--reuid", "nobody", "--regid", "65534",
                "--groups", "kvm", "--", "/usr/local/bin/firecracker", "--api-sock", "/tmp/skiff-vm-1/42/api.sock", "--id", "x"),
                FirecrackerCommand.argv(settings(Optional.of("nobody")), socket, "x"));
        assertEquals("my-fn-v2-0a1b", FirecrackerCommand.vmId("my_fn.v2-0a1b"), "Firecracker's ids: letters, digits, hyphens");
        assertEquals(64, FirecrackerCommand.vmId("f".repeat(80) + "-0a1b2c3d").length());
        assertEquals(true, FirecrackerCommand.vmId("f".repeat(80) + "-0a1b2c3d").endsWith("-0a1b2c3d"), "the random tail is kept");
    }

    @Test
    void aSnapshotsShapeLeavesOutTheGuestsAddress() {
        FirecrackerVm slot0 = FirecrackerCommand.vm(settings(Optional.empty()), spec(128L << 20, 1000), KERNEL, INITRD, null,
                GuestNetwork.of("172.20.0.0/24", "skiff-tap", 0));
        FirecrackerVm slot7 = FirecrackerCommand.vm(settings(Optional.empty()), spec(128L << 20, 1000), KERNEL, INITRD, null,
                GuestNetwork.of("172.20.0.0/24", "skiff-tap", 7));
        assertEquals(FirecrackerCommand.snapshotShape(settings(Optional.empty()), slot0),
                FirecrackerCommand.snapshotShape(settings(Optional.empty()), slot7));
    }

    @Test
    void aJavaVmGetsTheRuntimeDriveReadOnlyBeforeItStarts() {
        GuestNetwork network = GuestNetwork.of("172.20.0.0/24", "skiff-tap", 0);
        FunctionSpec java = new FunctionSpec("hello", "java", "a.B", Map.of(), null, null, 128L << 20, 1000, 1, 0, 5, 60, 10);
        FirecrackerVm vm = FirecrackerCommand.vm(settings(Optional.empty()), java, KERNEL, INITRD,
                Path.of("/images/java/runtime.img"), network);
        assertEquals(192, vm.memoryMib(), "a JVM guest's minimum");
        List<ApiCall> calls = FirecrackerRequests.coldBoot(vm);
        assertEquals(new ApiCall("PUT", "/drives/runtime",
                "{\"drive_id\":\"runtime\",\"path_on_host\":\"/images/java/runtime.img\",\"is_root_device\":false,\"is_read_only\":true}"),
                calls.get(2));
        assertEquals("/actions", calls.get(calls.size() - 1).path());
    }
}
