package dev.skiff.agent.driver.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.agent.driver.vm.VmBoot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    private static final Path KERNEL = Path.of("/images/exec/vmlinuz");
    private static final Path INITRD = Path.of("/cache/sha256/ab/vm-exec.initrd");
    private static final Path CONTROL = Path.of("/tmp/skiff-vm-1/42");

    private static QemuSettings settings(Optional<String> runAs, boolean egress) {
        return new QemuSettings("qemu-system-x86_64", Path.of("/images"), 32, true, runAs, runAs.map(u -> "65534"),
                Optional.of("kvm"), egress, 2, 0);
    }

    private static QemuCommand.Vm vm(long memory, int cpuMillis, VmBoot boot) {
        return new QemuCommand.Vm(KERNEL, INITRD, null, QemuCommand.memoryMib("exec", memory), cpuMillis, 40123, boot, CONTROL);
    }

    /** The value following an option, e.g. {@code -m} -> {@code 128M}. */
    private static String option(List<String> argv, String name) {
        int at = argv.indexOf(name);
        assertTrue(at >= 0 && at + 1 < argv.size(), name + " missing in " + argv);
        return argv.get(at + 1);
    }

    @Test
    void bootsTheBaseKernelWithTheVersionsInitrdOnAMicrovm() {
        List<String> argv = QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD));
        assertEquals("microvm", option(argv, "-M"));
        assertEquals(KERNEL.toString(), option(argv, "-kernel"));
        assertEquals(INITRD.toString(), option(argv, "-initrd"));
        assertEquals(QemuCommand.KERNEL_ARGS, option(argv, "-append"), "no TSC frequency known: the guest calibrates");
        assertEquals("stdio", option(argv, "-serial"));
        assertEquals("virtio-net-device,netdev=n0", option(argv, "-device"));
        assertTrue(argv.containsAll(List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot")), argv.toString());
        assertFalse(argv.contains("-qmp") || argv.contains("-incoming"), "a plain boot has no monitor and no incoming state");
    }

    @Test
    void memoryAndVcpusFollowTheFunctionsLimits() {
        List<String> argv = QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG, vm(256L << 20, 1500, VmBoot.COLD));
        assertEquals("256M", option(argv, "-m"));
        assertEquals("2", option(argv, "-smp"));
        assertEquals(1, QemuCommand.vcpus(1, 8), "a sliver of CPU still gets one vCPU");
        assertEquals(2, QemuCommand.vcpus(8000, 2), "never more vCPUs than the host has processors");
        assertEquals(QemuCommand.MIN_MEMORY_MIB, QemuCommand.memoryMib("exec", 32L << 20), "the guest kernel needs its minimum");
        assertEquals(129, QemuCommand.memoryMib("exec", (128L << 20) + 1), "rounded up to whole MiB");
        assertEquals(QemuCommand.MIN_JAVA_MEMORY_MIB, QemuCommand.memoryMib("java", 128L << 20), "a JVM guest needs more");
        assertEquals(512, QemuCommand.memoryMib("java", 512L << 20));
        assertEquals(80, QemuCommand.javaHeapMib(192), "the heap is what the kernel and the JVM's own memory leave");
        assertEquals(32, QemuCommand.javaHeapMib(96), "but never less than 32 MiB");
    }

    @Test
    void aRuntimeDriveIsAttachedReadOnly() {
        Path drive = Path.of("/images/java/runtime.img");
        List<String> argv = QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG,
                new QemuCommand.Vm(KERNEL, INITRD, drive, 192, 1000, 40123, VmBoot.COLD, CONTROL));
        assertEquals("file=/images/java/runtime.img,if=none,id=rt,format=raw,readonly=on", option(argv, "-drive"));
        assertEquals("virtio-blk-device,drive=rt", argv.get(argv.lastIndexOf("-device") + 1));
        assertFalse(QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD))
                .contains("-drive"), "exec guests have no drive");
    }

    @Test
    void tcgGetsASmallTranslationCacheAndKvmNone() {
        assertEquals("tcg,tb-size=32", option(QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG,
                vm(128L << 20, 1000, VmBoot.COLD)), "-accel"));
        assertEquals("kvm", option(QemuCommand.argv(settings(Optional.empty(), true), Accel.KVM,
                vm(128L << 20, 1000, VmBoot.COLD)), "-accel"));
    }

    @Test
    void onlyALoopbackPortIsForwardedToTheGuestsWatchdog() {
        List<String> argv = QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD));
        assertEquals("user,id=n0,restrict=off,hostfwd=tcp:127.0.0.1:40123-:8080", option(argv, "-netdev"));
        List<String> closed = QemuCommand.argv(settings(Optional.empty(), false), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD));
        assertTrue(option(closed, "-netdev").contains("restrict=on"), "no egress: the guest reaches nothing but its forward");
    }

    @Test
    void qemuIsSandboxedDiesWithTheAgentAndDropsRoot() {
        List<String> argv = QemuCommand.argv(settings(Optional.of("nobody"), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD));
        assertEquals("setpriv", argv.get(0));
        assertEquals("KILL", option(argv, "--pdeathsig"));
        assertTrue(argv.contains("--no-new-privs"));
        assertEquals("nobody", option(argv, "--reuid"));
        assertEquals("65534", option(argv, "--regid"));
        assertTrue(argv.contains("--clear-groups"));
        assertEquals("qemu-system-x86_64", argv.get(argv.indexOf("--") + 1));
        assertEquals("on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny", option(argv, "-sandbox"));

        List<String> kvm = QemuCommand.argv(settings(Optional.of("nobody"), true), Accel.KVM, vm(128L << 20, 1000, VmBoot.COLD));
        assertEquals("kvm", option(kvm, "--groups"), "the unprivileged user may open /dev/kvm through its group");

        List<String> asIs = QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD));
        assertFalse(asIs.contains("--reuid"), "an agent that is not root has nothing to drop");
    }

    @Test
    void aVmToSaveHasAMonitorAndARestoredOneTakesItsStateFromASocket() {
        List<String> save = QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD_AND_SAVE));
        assertEquals("unix:" + CONTROL.resolve("qmp.sock") + ",server=on,wait=off", option(save, "-qmp"));
        List<String> restore = QemuCommand.argv(settings(Optional.empty(), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.RESTORE));
        assertEquals("unix:" + CONTROL.resolve("in.sock"), option(restore, "-incoming"));
        List<String> cold = QemuCommand.qemu(settings(Optional.empty(), true), Accel.TCG, vm(128L << 20, 1000, VmBoot.COLD));
        assertEquals(cold, restore.subList(restore.indexOf("--") + 1, restore.indexOf("-incoming")),
                "a restored VM has exactly the saved one's devices and memory");
    }

    @Test
    void aTcgGuestIsToldTheHostsTscFrequencyAKvmGuestIsNot() {
        QemuSettings known = new QemuSettings("qemu-system-x86_64", Path.of("/images"), 32, true, Optional.empty(),
                Optional.empty(), Optional.empty(), true, 2, 2_245_780);
        QemuCommand.Vm vm = vm(128L << 20, 1000, VmBoot.COLD);
        assertEquals(QemuCommand.KERNEL_ARGS + " tsc_early_khz=2245780 tsc=reliable",
                option(QemuCommand.argv(known, Accel.TCG, vm), "-append"));
        assertEquals(QemuCommand.KERNEL_ARGS, option(QemuCommand.argv(known, Accel.KVM, vm), "-append"));
    }
}
