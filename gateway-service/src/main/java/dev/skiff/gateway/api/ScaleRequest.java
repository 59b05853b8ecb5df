package dev.skiff.gateway.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** OpenFaaS' {@code POST /system/scale-function/{name}} body: warm this many instances now. */
public record ScaleRequest(String serviceName, @Min(0) @Max(1000) int replicas) {
}
