package dev.skiff.gateway.auth;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the management API ({@code /system/...}). Auth is on as soon as any key or a JWT
 * secret is configured; with none, the API is open (the local development default).
 */
@ConfigMapping(prefix = "skiff.gateway.auth")
public interface AuthConfig {
    /** API keys of the admin role: every namespace. */
    Optional<List<String>> adminKeys();

    /** API keys per namespace, e.g. {@code skiff.gateway.auth.keys.team-a=k1,k2}. */
    Map<String, List<String>> keys();

    /** Secret of HS256 JWTs (claims {@code ns}, {@code role} = admin|tenant, {@code exp} required). */
    Optional<String> jwtSecret();

    default boolean enabled() {
        return adminKeys().map(k -> !k.isEmpty()).orElse(false) || !keys().isEmpty() || jwtSecret().isPresent();
    }
}
