package dev.skiff.gateway.api;

import jakarta.validation.constraints.Pattern;

/** Which version to roll back to; none: the one before the current. */
public record RollbackRequest(@Pattern(regexp = "v[0-9]{17}", message = "must be a version tag such as v20261123101500000") String version) {
}
