package dev.skiff.contracts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

import java.util.List;

/**
 * Asks the scheduler for a node to run an instance of a function version.
 *
 * @param memoryBytes memory one instance needs
 * @param cpuMillis   CPU one instance needs, in thousandths of a vCPU
 * @param maxScale    the function's instances never exceed this over all nodes (0: no bound)
 * @param exclude     nodes not to choose (the caller just failed to reach them)
 */
public record PlacementRequest(@NotBlank String function, String digest, @PositiveOrZero long memoryBytes,
        @PositiveOrZero long cpuMillis, @PositiveOrZero int maxScale, List<String> exclude) {
    public PlacementRequest {
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }
}
