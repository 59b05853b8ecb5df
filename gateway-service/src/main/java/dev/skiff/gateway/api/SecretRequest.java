package dev.skiff.gateway.api;

import dev.skiff.contracts.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * OpenFaaS' secret, as {@code POST} and {@code PUT /system/secrets} take it: a text {@code value}
 * or a base64 {@code rawValue} (for bytes that are not text), exactly one of them.
 *
 * @param name      the secret's name, a DNS subdomain
 * @param namespace its namespace; the caller's when absent
 * @param value     the value as text (UTF-8)
 * @param rawValue  the value as base64
 */
public record SecretRequest(
        @NotBlank @Pattern(regexp = Names.SECRET, message = "must be a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters") String name,
        @Pattern(regexp = Names.FUNCTION, message = "must be a DNS label") String namespace,
        @Size(max = 1 << 20) String value,
        @Size(max = 1 << 21) String rawValue) {

    @Override
    public String toString() {
        return "SecretRequest[name=" + name + ", namespace=" + namespace + "]";
    }
}
