package dev.skiff.agent.driver.vm;

/** How a VM starts, as its version's snapshot allows ({@link SnapshotStore#boot}). */
public enum VmBoot {
    /** A fresh boot of the kernel. */
    COLD,
    /** A fresh boot, saved as its version's snapshot once the guest is up. */
    COLD_AND_SAVE,
    /** A restore of the version's saved VM; same devices and memory as the saved one. */
    RESTORE
}
