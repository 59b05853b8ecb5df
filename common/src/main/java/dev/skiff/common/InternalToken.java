package dev.skiff.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The token Skiff's services present to each other ({@code skiff.internal-token}, one environment
 * variable {@code SKIFF_INTERNAL_TOKEN} for all of them). When it is set, the node agent and the
 * scheduler refuse every request under {@code /v1/}, reads as well as commands (the instances,
 * nodes and functions they list are tenants' business), that does not carry
 * {@code Authorization: Bearer <token>}: 401 problem+json with a Bearer challenge. Health and
 * metrics ({@code /q/...}) stay open. Compared in constant time, never logged.
 */
public final class InternalToken {
    /** The configuration property every service reads. */
    public static final String PROPERTY = "skiff.internal-token";
    /** The challenge of a refused command. */
    public static final String CHALLENGE = "Bearer realm=\"skiff-internal\"";

    private InternalToken() {
    }

    /** The Authorization header value that carries the token. */
    public static String authorization(String token) {
        return "Bearer " + token;
    }

    /** Whether an Authorization header carries exactly this token. */
    public static boolean presented(String authorization, String token) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What a request filter answers: empty to let the request through, or the 401 to send. Every
     * request under {@code /v1/} needs the token, when one is configured.
     */
    public static Optional<Response> check(Optional<String> token, String method, String path, String authorization) {
        if (token.isEmpty() || token.get().isEmpty() || !path.startsWith("/v1/")) {
            return Optional.empty();
        }
        if (presented(authorization, token.get())) {
            return Optional.empty();
        }
        return Optional.of(ProblemMappers.problem(401, "Unauthorized",
                        authorization == null ? "this internal API needs the platform's internal token (Authorization: Bearer)"
                                : "the internal token presented is not this platform's", null, null)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
    }
}
