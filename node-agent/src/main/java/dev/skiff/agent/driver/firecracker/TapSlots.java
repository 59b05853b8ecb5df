package dev.skiff.agent.driver.firecracker;

import java.util.BitSet;

/** Which TAP slots running VMs hold: a VM takes the lowest free slot and gives it back when it exits. */
final class TapSlots {
    private final int size;
    private final BitSet taken = new BitSet();

    TapSlots(int size) {
        this.size = size;
    }

    /** Takes the lowest free slot. */
    synchronized int acquire() {
        int slot = taken.nextClearBit(0);
        if (slot >= size) {
            throw new IllegalStateException("all " + size + " TAP slots are in use (skiff.node-agent.firecracker.subnet)");
        }
        taken.set(slot);
        return slot;
    }

    synchronized void release(int slot) {
        taken.clear(slot);
    }
}
