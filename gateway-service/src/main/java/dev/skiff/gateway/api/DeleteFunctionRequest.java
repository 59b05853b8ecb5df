package dev.skiff.gateway.api;

import dev.skiff.contracts.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** OpenFaaS' {@code DELETE /system/functions} body. */
public record DeleteFunctionRequest(@NotBlank @Pattern(regexp = Names.FUNCTION) String functionName) {
}
