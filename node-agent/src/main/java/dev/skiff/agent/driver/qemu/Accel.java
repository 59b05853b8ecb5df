package dev.skiff.agent.driver.qemu;

/** QEMU's accelerator for a VM: hardware virtualisation or software emulation. */
public enum Accel {
    /** Hardware virtualisation through /dev/kvm. */
    KVM,
    /** QEMU's tiny code generator: software emulation, slow but available everywhere. */
    TCG
}
