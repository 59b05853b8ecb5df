package dev.skiff.agent.driver.firecracker;

import java.nio.file.Path;

/**
 * One microVM's shape as Firecracker is told it.
 *
 * @param kernel    the base image's uncompressed kernel ({@code vmlinux})
 * @param initrd    base root followed by the version's own archive
 * @param vcpus     whole vCPUs
 * @param memoryMib guest memory
 * @param bootArgs  the kernel command line, the guest's address included
 * @param network   the TAP slot the VM uses
 */
public record FirecrackerVm(Path kernel, Path initrd, Path drive, int vcpus, long memoryMib, String bootArgs, GuestNetwork network) {
}
