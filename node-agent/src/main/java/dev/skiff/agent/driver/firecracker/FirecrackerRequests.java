package dev.skiff.agent.driver.firecracker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The requests of Firecracker's REST API the driver sends, built exactly as its API definition
 * (src/firecracker/swagger/firecracker.yaml) describes them: a pure function of the VM, unit-tested
 * without a Firecracker. Bodies are Jackson trees, so nothing here needs reflection.
 */
public final class FirecrackerRequests {
    /** The guest's one network interface. */
    public static final String IFACE = "eth0";
    /** The saved microVM state, in a snapshot's directory. */
    public static final String VMSTATE = "vmstate";
    /** The saved guest memory, in a snapshot's directory. */
    public static final String MEMORY = "mem";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FirecrackerRequests() {
    }

    /** A cold boot: machine, kernel and initrd, network, then start. */
    public static List<ApiCall> coldBoot(FirecrackerVm vm) {
        List<ApiCall> calls = new java.util.ArrayList<>(List.of(machineConfig(vm.vcpus(), vm.memoryMib()),
                bootSource(vm.kernel(), vm.initrd(), vm.bootArgs())));
        if (vm.drive() != null) {
            calls.add(runtimeDrive(vm.drive()));
        }
        calls.add(networkInterface(vm.network()));
        calls.add(instanceStart());
        return List.copyOf(calls);
    }

    /** {@code PUT /drives/runtime}: the runtime's shared drive (the JVM of java), read-only; the guest's /dev/vda. */
    public static ApiCall runtimeDrive(Path drive) {
        return put("/drives/runtime", object().put("drive_id", "runtime").put("path_on_host", drive.toString())
                .put("is_root_device", false).put("is_read_only", true));
    }

    /** {@code PUT /machine-config}: vCPUs and memory (SMT, templates and huge pages stay at their defaults). */
    public static ApiCall machineConfig(int vcpus, long memoryMib) {
        return put("/machine-config", object().put("vcpu_count", vcpus).put("mem_size_mib", memoryMib));
    }

    /** {@code PUT /boot-source}: the uncompressed kernel, the version's initrd, the kernel command line. */
    public static ApiCall bootSource(Path kernel, Path initrd, String bootArgs) {
        return put("/boot-source", object().put("kernel_image_path", kernel.toString())
                .put("initrd_path", initrd.toString()).put("boot_args", bootArgs));
    }

    /** {@code PUT /network-interfaces/eth0}: the slot's TAP device and the guest's MAC. */
    public static ApiCall networkInterface(GuestNetwork network) {
        return put("/network-interfaces/" + IFACE, object().put("iface_id", IFACE)
                .put("host_dev_name", network.tap()).put("guest_mac", network.mac()));
    }

    /** {@code PUT /actions}: boots the configured microVM. */
    public static ApiCall instanceStart() {
        return put("/actions", object().put("action_type", "InstanceStart"));
    }

    /** {@code PATCH /vm}: pauses the vCPUs (before a snapshot). */
    public static ApiCall pause() {
        return new ApiCall("PATCH", "/vm", json(object().put("state", "Paused")));
    }

    /** {@code PATCH /vm}: lets a paused microVM run on. */
    public static ApiCall resume() {
        return new ApiCall("PATCH", "/vm", json(object().put("state", "Resumed")));
    }

    /** {@code PUT /snapshot/create}: a full snapshot of a paused microVM into a directory. */
    public static ApiCall snapshotCreate(Path dir) {
        return put("/snapshot/create", object().put("snapshot_type", "Full")
                .put("snapshot_path", dir.resolve(VMSTATE).toString()).put("mem_file_path", dir.resolve(MEMORY).toString()));
    }

    /**
     * {@code PUT /snapshot/load} into a fresh Firecracker: the state and the memory file (mapped
     * privately, so every restored VM shares the file's pages until it writes them), the interface
     * moved to this VM's own TAP device (a snapshot names the TAP of the VM it was taken from;
     * {@code network_overrides}, Firecracker 1.12 and later), resumed at once.
     */
    public static ApiCall snapshotLoad(Path dir, GuestNetwork network) {
        ObjectNode body = object().put("snapshot_path", dir.resolve(VMSTATE).toString());
        body.putObject("mem_backend").put("backend_type", "File").put("backend_path", dir.resolve(MEMORY).toString());
        body.put("resume_vm", true);
        body.putArray("network_overrides").addObject().put("iface_id", IFACE).put("host_dev_name", network.tap());
        return put("/snapshot/load", body);
    }

    private static ApiCall put(String path, ObjectNode body) {
        return new ApiCall("PUT", path, json(body));
    }

    private static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static String json(ObjectNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body, e);
        }
    }
}
