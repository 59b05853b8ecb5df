package dev.skiff.contracts;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

/** What a node offers to instances. */
public record NodeCapacity(@Min(1) int vcpus, @PositiveOrZero long memoryBytes, @PositiveOrZero int instanceSlots) {
}
