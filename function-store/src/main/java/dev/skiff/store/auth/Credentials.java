package dev.skiff.store.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the token a client presents in its {@code Authorization} header: {@code Bearer <token>}
 * (Skiff's own services) or {@code Basic base64(<any user>:<token>)} (skopeo, docker and oras
 * with {@code --creds user:token}). Pure; anything else presents no token.
 */
public final class Credentials {
    private static final String BEARER = "Bearer";
    private static final String BASIC = "Basic";

    private Credentials() {
    }

    /** The presented token, if the header carries one in a form the store accepts. */
    public static Optional<String> token(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = value.substring(0, space);
        String parameter = value.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase(BEARER)) {
            return nonEmpty(parameter);
        }
        return scheme.equalsIgnoreCase(BASIC) ? basicPassword(parameter) : Optional.empty();
    }

    private static Optional<String> basicPassword(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty() : nonEmpty(decoded.substring(colon + 1));
    }

    private static Optional<String> nonEmpty(String token) {
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
