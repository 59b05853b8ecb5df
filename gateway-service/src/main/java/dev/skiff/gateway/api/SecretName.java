package dev.skiff.gateway.api;

import dev.skiff.contracts.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * A secret as {@code GET} lists and {@code DELETE /system/secrets} takes it: its name and namespace, never its value.
 *
 * @param name      the secret's name
 * @param namespace its namespace; on delete, the caller's when absent
 */
public record SecretName(
        @NotBlank @Pattern(regexp = Names.SECRET, message = "must be a DNS subdomain") String name,
        @Pattern(regexp = Names.FUNCTION, message = "must be a DNS label") String namespace) {
}
