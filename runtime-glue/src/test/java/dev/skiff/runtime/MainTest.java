package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void bodyLimitIs64MiBOrAnEighthOfASmallerHeap() {
        assertEquals(64 << 20, Main.bodyLimit(4L << 30));
        assertEquals(4 << 20, Main.bodyLimit(32L << 20));
        assertEquals(64 << 10, Main.bodyLimit(256L << 10), "never below 64 KiB");
    }
}
