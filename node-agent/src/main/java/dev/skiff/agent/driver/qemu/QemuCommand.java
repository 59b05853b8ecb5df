package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.driver.vm.VmBoot;
import dev.skiff.agent.driver.vm.VmLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of one microVM: a pure function of the settings and the VM's shape, unit-tested
 * without starting anything. Nothing a user wrote reaches it: the function's code, handler and env
 * travel inside the initrd, and every value here is a separate argv element (no shell).
 *
 * <p>QEMU is started through {@code setpriv}: it dies with the agent (parent-death signal), may
 * never gain privileges, and, when the agent is root, runs as an unprivileged user. QEMU's own
 * seccomp sandbox then denies obsolete calls, privilege changes, spawning and resource control.
 */
public final class QemuCommand {
    /** The port the guest's watchdog listens on; the host forwards a free loopback port to it. */
    public static final int GUEST_PORT = 8080;
    /** Smallest guest: the Debian cloud kernel does not boot in 64 MiB. */
    public static final int MIN_MEMORY_MIB = 96;
    /** Smallest java guest: kernel, the JVM's code and class-data archive from the drive, and a heap. */
    public static final int MIN_JAVA_MEMORY_MIB = 192;
    /** What a java guest keeps beside the heap: kernel, page cache of the runtime drive, JVM metadata. */
    static final int JAVA_RESERVE_MIB = 112;
    /** The guest kernel's command line: serial console, quiet boot, exit QEMU on panic (with -no-reboot). */
    public static final String KERNEL_ARGS = "console=ttyS0 quiet panic=-1 pci=off";
    static final String SANDBOX = "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";

    /**
     * One VM's shape.
     *
     * @param kernel       the base image's kernel
     * @param initrd       base root followed by the version's own archive
     * @param drive        the runtime's read-only drive (the JVM for java), or null
     * @param memoryMib    guest memory, see {@link #memoryMib}
     * @param cpuMillis    the function's CPU limit (thousandths of a vCPU)
     * @param hostPort     loopback port forwarded to the guest's watchdog; 0 in a fingerprint
     * @param boot         how it starts: COLD_AND_SAVE adds a QMP socket, RESTORE takes the saved VM on {@code in.sock}
     * @param controlDir   where QMP and migration sockets live (COLD_AND_SAVE and RESTORE)
     */
    public record Vm(Path kernel, Path initrd, Path drive, long memoryMib, int cpuMillis, int hostPort, VmBoot boot, Path controlDir) {
    }

    private QemuCommand() {
    }

    /** The full argv: privilege wrapper, then QEMU. */
    public static List<String> argv(QemuSettings settings, Accel accel, Vm vm) {
        List<String> argv = new ArrayList<>(wrapper(settings, accel));
        argv.addAll(qemu(settings, accel, vm));
        return List.copyOf(argv);
    }

    /** {@code setpriv}: parent-death signal, no new privileges, and the unprivileged user when the agent is root. */
    static List<String> wrapper(QemuSettings settings, Accel accel) {
        return VmLauncher.setpriv(settings.runAs(), settings.runAsGroup(),
                accel == Accel.KVM ? settings.kvmGroup() : Optional.empty());
    }

    /** QEMU's own arguments. */
    static List<String> qemu(QemuSettings settings, Accel accel, Vm vm) {
        List<String> argv = new ArrayList<>(List.of(settings.binary(),
                "-M", "microvm",
                "-accel", accel == Accel.KVM ? "kvm" : "tcg,tb-size=" + settings.tbSizeMb(),
                "-m", vm.memoryMib() + "M",
                "-smp", Integer.toString(vcpus(vm.cpuMillis(), settings.hostProcessors())),
                "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-kernel", vm.kernel().toString(),
                "-initrd", vm.initrd().toString(),
                "-append", kernelArgs(settings, accel),
                "-serial", "stdio",
                "-netdev", netdev(settings, vm.hostPort()),
                "-device", "virtio-net-device,netdev=n0",
                "-sandbox", SANDBOX));
        if (vm.drive() != null) {
            // shared by every VM of the runtime: QEMU opens it read-only, no VM can write it
            argv.addAll(List.of("-drive", "file=" + vm.drive() + ",if=none,id=rt,format=raw,readonly=on",
                    "-device", "virtio-blk-device,drive=rt"));
        }
        if (vm.boot() == VmBoot.COLD_AND_SAVE) {
            argv.addAll(List.of("-qmp", "unix:" + vm.controlDir().resolve("qmp.sock") + ",server=on,wait=off"));
        } else if (vm.boot() == VmBoot.RESTORE) {
            argv.addAll(List.of("-incoming", "unix:" + vm.controlDir().resolve("in.sock")));
        }
        return argv;
    }

    /**
     * The guest kernel's command line. Under TCG the guest's TSC is the host's: given its frequency,
     * the guest skips the PIT calibration that fails (and hangs the boot) on a loaded host; see
     * {@link HostClock}.
     */
    static String kernelArgs(QemuSettings settings, Accel accel) {
        return accel == Accel.TCG && settings.tscKhz() > 0
                ? KERNEL_ARGS + " tsc_early_khz=" + settings.tscKhz() + " tsc=reliable"
                : KERNEL_ARGS;
    }

    /** User-mode networking: the guest's watchdog port forwarded from a loopback port of the host. */
    static String netdev(QemuSettings settings, int hostPort) {
        return "user,id=n0,restrict=" + (settings.egress() ? "off" : "on")
                + ",hostfwd=tcp:127.0.0.1:" + hostPort + "-:" + GUEST_PORT;
    }

    /**
     * Guest memory in MiB: the function's limit, rounded up, at least {@link #MIN_MEMORY_MIB} (at
     * least {@link #MIN_JAVA_MEMORY_MIB} for java).
     */
    public static long memoryMib(String runtime, long memoryBytes) {
        long mib = (memoryBytes + (1 << 20) - 1) >> 20;
        return Math.max("java".equals(runtime) ? MIN_JAVA_MEMORY_MIB : MIN_MEMORY_MIB, mib);
    }

    /** The heap of a java guest's JVM: its memory less the reserve, at least 32 MiB. */
    public static long javaHeapMib(long guestMib) {
        return Math.max(32, guestMib - JAVA_RESERVE_MIB);
    }

    /** vCPUs: the CPU limit rounded up to whole vCPUs, at least 1, at most the host's processors. */
    public static int vcpus(int cpuMillis, int hostProcessors) {
        int vcpus = (Math.max(cpuMillis, 1) + 999) / 1000;
        return Math.max(1, Math.min(vcpus, Math.max(1, hostProcessors)));
    }
}
