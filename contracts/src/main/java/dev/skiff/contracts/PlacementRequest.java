package dev.skiff.contracts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/** Asks the scheduler for a node to run an instance of a function version. */
public record PlacementRequest(@NotBlank String function, String digest, @PositiveOrZero long memoryBytes) {
}
