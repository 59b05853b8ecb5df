package dev.skiff.gateway.api;

import jakarta.validation.constraints.Pattern;

/**
 * OpenFaaS {@code limits} / {@code requests}: Kubernetes quantities.
 *
 * @param memory e.g. {@code 128Mi}, {@code 1Gi}, {@code 256M}, or bytes
 * @param cpu    e.g. {@code 500m}, {@code 1}, {@code 0.5}
 */
public record FunctionResources(
        @Pattern(regexp = "[0-9]{1,12}(Ki|Mi|Gi|K|M|G|k)?", message = "must be a memory quantity such as 128Mi") String memory,
        @Pattern(regexp = "[0-9]{1,6}(\\.[0-9]{1,3})?m?", message = "must be a CPU quantity such as 500m or 1") String cpu) {
}
