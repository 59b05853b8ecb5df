package dev.skiff.contracts;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Asks a node for warm instances of a function version now (provisioned concurrency). */
public record PreBoot(@Min(1) @Max(1000) int count) {
}
