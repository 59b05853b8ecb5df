package dev.skiff.agent.driver.firecracker;

import dev.skiff.agent.driver.qemu.QemuCommand;
import dev.skiff.agent.driver.vm.VmLauncher;
import dev.skiff.contracts.FunctionSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts one Firecracker and the shape of its microVM: pure functions of the
 * settings and the function's spec, unit-tested without starting anything. The microVM itself is
 * configured over the API afterwards ({@link FirecrackerRequests}).
 *
 * <p>Firecracker is started through {@code setpriv} as QEMU is: it dies with the agent, may never
 * gain privileges and, when the agent is root, runs as an unprivileged user (with the {@code kvm}
 * group for /dev/kvm). Firecracker's own seccomp filters stay on (its default). In production,
 * Firecracker's jailer adds a chroot, cgroups and a network namespace; see src-docs/drivers.md.
 */
public final class FirecrackerCommand {
    /** The kernel command line Firecracker's documentation boots with; the guest's address follows it. */
    public static final String KERNEL_ARGS = "console=ttyS0 reboot=k panic=1 pci=off quiet";
    /** Firecracker accepts 1 to 32 vCPUs. */
    static final int MAX_VCPUS = 32;
    /** Firecracker's {@code --id}: letters, digits and hyphens, at most 64. */
    static final int MAX_ID = 64;

    private FirecrackerCommand() {
    }

    /** The full argv: privilege wrapper, then Firecracker on its API socket. */
    public static List<String> argv(FirecrackerSettings settings, Path apiSocket, String instanceId) {
        List<String> argv = new ArrayList<>(VmLauncher.setpriv(settings.runAs(), settings.runAsGroup(), settings.kvmGroup()));
        argv.addAll(List.of(settings.binary(), "--api-sock", apiSocket.toString(), "--id", vmId(instanceId)));
        return List.copyOf(argv);
    }

    /** A microVM for a function: memory and vCPUs rounded as the qemu driver rounds them. */
    public static FirecrackerVm vm(FirecrackerSettings settings, FunctionSpec spec, Path kernel, Path initrd, Path drive,
            GuestNetwork network) {
        return new FirecrackerVm(kernel, initrd, drive,
                QemuCommand.vcpus(spec.cpuMillis(), Math.min(MAX_VCPUS, settings.hostProcessors())),
                QemuCommand.memoryMib(spec.runtime(), spec.memoryBytes()),
                KERNEL_ARGS + " " + network.bootArgs(), network);
    }

    /**
     * What a snapshot of this VM must match to be restored into another: the Firecracker, the
     * machine and the kernel command line without the guest's address (restored VMs are
     * re-addressed).
     */
    public static List<String> snapshotShape(FirecrackerSettings settings, FirecrackerVm vm) {
        return List.of("firecracker", settings.binary(), "vcpus=" + vm.vcpus(), "mem=" + vm.memoryMib(), KERNEL_ARGS);
    }

    /** The instance id as Firecracker's {@code --id} takes it: other characters become hyphens; the tail is kept. */
    static String vmId(String instanceId) {
        String id = instanceId.replaceAll("[^A-Za-z0-9-]", "-");
        return id.length() > MAX_ID ? id.substring(id.length() - MAX_ID) : id;
    }
}
