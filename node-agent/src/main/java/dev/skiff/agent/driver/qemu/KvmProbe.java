package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.driver.vm.VmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Chooses the accelerator. A /dev/kvm that exists is not proof that guests run on it (nested
 * virtualisation can hang them), so {@code auto} boots the base image once on KVM and uses KVM only
 * if the guest's init speaks within the probe timeout; otherwise TCG.
 */
final class KvmProbe {
    private static final Logger LOG = Logger.getLogger(KvmProbe.class);
    static final Path DEV_KVM = Path.of("/dev/kvm");

    private KvmProbe() {
    }

    /**
     * The accelerator for {@code configured} ({@code auto}, {@code kvm} or {@code tcg}).
     *
     * @param probeCommand the argv of a KVM boot of the base image
     * @param spawn        starts a command the way the driver starts VMs
     */
    static Accel choose(String configured, List<String> probeCommand, Function<List<String>, Process> spawn, Duration timeout) {
        switch (configured.toLowerCase(Locale.ROOT)) {
            case "kvm":
                LOG.info("qemu driver: accelerator kvm (configured)");
                return Accel.KVM;
            case "tcg":
                LOG.info("qemu driver: accelerator tcg (configured)");
                return Accel.TCG;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("skiff.node-agent.qemu.accel must be auto, kvm or tcg, not '" + configured + "'");
        }
        if (!Files.exists(DEV_KVM)) {
            LOG.info("qemu driver: no /dev/kvm; accelerator tcg (software emulation)");
            return Accel.TCG;
        }
        long begin = System.nanoTime();
        Process process = spawn.apply(probeCommand);
        VmProcess vm = new VmProcess("kvm-probe", "QEMU", process);
        try {
            vm.booted().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("qemu driver: KVM probe guest ran its init in %d ms; accelerator kvm", (System.nanoTime() - begin) / 1_000_000);
            return Accel.KVM;
        } catch (TimeoutException e) {
            LOG.infof("qemu driver: KVM probe guest said nothing within %d ms; accelerator tcg (software emulation)", timeout.toMillis());
            return Accel.TCG;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.infof("qemu driver: KVM probe failed (%s); accelerator tcg (software emulation)", vm.exitMessage());
            return Accel.TCG;
        } finally {
            process.destroyForcibly();
        }
    }
}
