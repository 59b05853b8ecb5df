package dev.skiff.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.contracts.Names;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@code Authorization: Bearer <credential>} header into a {@link Caller}: an API key
 * (admin or a namespace's; compared in constant time) or an HS256 JWT. Credentials are never logged.
 */
@ApplicationScoped
public class Authenticator {
    private final AuthConfig config;

    Authenticator(AuthConfig config) {
        this.config = config;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The caller, or an {@link AuthException} saying what is wrong with the credential. */
    public Caller authenticate(String authorization) {
        if (!config.enabled()) {
            return Caller.OPEN;
        }
        if (authorization == null || authorization.isBlank()) {
            throw AuthException.unauthorized("this API needs credentials: Authorization: Bearer <API key or JWT>");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AuthException.unauthorized("credentials go in Authorization: Bearer <API key or JWT>");
        }
        String credential = authorization.substring(7).trim();
        if (credential.chars().filter(c -> c == '.').count() == 2 && config.jwtSecret().isPresent()) {
            return fromJwt(credential);
        }
        for (String key : config.adminKeys().orElse(List.of())) {
            if (same(key, credential)) {
                return new Caller(Caller.DEFAULT_NAMESPACE, true);
            }
        }
        for (Map.Entry<String, List<String>> namespace : config.keys().entrySet()) {
            for (String key : namespace.getValue()) {
                if (same(key, credential)) {
                    return new Caller(namespace.getKey(), false);
                }
            }
        }
        throw AuthException.unauthorized("the API key is not valid");
    }

    private Caller fromJwt(String token) {
        JsonNode claims;
        try {
            claims = Jwt.verify(token, config.jwtSecret().get(), System.currentTimeMillis() / 1000);
        } catch (Jwt.Invalid e) {
            throw AuthException.unauthorized("the JWT is not valid: " + e.getMessage());
        }
        boolean admin = "admin".equals(claims.path("role").asText());
        String namespace = claims.path("ns").asText(Caller.DEFAULT_NAMESPACE);
        if (!namespace.matches(Names.FUNCTION)) {
            throw AuthException.unauthorized("the JWT's ns claim is not a namespace name");
        }
        return new Caller(namespace, admin);
    }

    private static boolean same(String configured, String presented) {
        return !configured.isEmpty() && MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
