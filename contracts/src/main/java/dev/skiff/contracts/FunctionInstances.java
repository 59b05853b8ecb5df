package dev.skiff.contracts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/** Instance counts of one function version on one node, by state. */
public record FunctionInstances(@NotBlank String function, String digest, @PositiveOrZero int booting,
        @PositiveOrZero int ready, @PositiveOrZero int busy) {
    /** Instances that exist (booting or not). */
    public int total() {
        return booting + ready + busy;
    }

    /** Instances that can serve calls now. */
    public int available() {
        return ready + busy;
    }
}
