package dev.skiff.gateway.auth;

import dev.skiff.common.ProblemException;
import java.util.Map;

/** 401 (no or bad credentials, with a Bearer challenge) or 403 (valid, but not for this). */
public final class AuthException extends ProblemException {
    private final boolean challenge;

    private AuthException(int status, String title, String detail, boolean challenge) {
        super(status, title, detail, null);
        this.challenge = challenge;
    }

    public static AuthException unauthorized(String detail) {
        return new AuthException(401, "Unauthorized", detail, true);
    }

    public static AuthException forbidden(String detail) {
        return new AuthException(403, "Forbidden", detail, false);
    }

    @Override
    public Map<String, String> headers() {
        return challenge ? Map.of("WWW-Authenticate", "Bearer realm=\"skiff\"") : Map.of();
    }
}
