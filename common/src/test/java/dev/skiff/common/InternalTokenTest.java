package dev.skiff.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InternalTokenTest {
    private static final Optional<String> TOKEN = Optional.of("s3cret");

    @Test
    void everyInternalRequestNeedsTheTokenOtherPathsDoNot() {
        assertTrue(InternalToken.check(TOKEN, "POST", "/v1/functions/f/invoke", "Bearer s3cret").isEmpty());
        assertTrue(InternalToken.check(TOKEN, "POST", "/v1/functions/f/invoke", "bearer s3cret").isEmpty(), "scheme is case-insensitive");
        assertEquals(401, InternalToken.check(TOKEN, "GET", "/v1/instances", null).orElseThrow().getStatus(), "reads need it too");
        assertTrue(InternalToken.check(TOKEN, "GET", "/v1/instances", "Bearer s3cret").isEmpty());
        assertTrue(InternalToken.check(TOKEN, "GET", "/q/metrics", null).isEmpty(), "metrics stay open");
        assertTrue(InternalToken.check(TOKEN, "POST", "/q/health", null).isEmpty(), "only /v1/ is internal");
        assertTrue(InternalToken.check(Optional.empty(), "DELETE", "/v1/functions/f", null).isEmpty(), "no token configured: open");
    }

    @Test
    void aMissingOrWrongTokenIs401WithAChallenge() {
        Response missing = InternalToken.check(TOKEN, "PUT", "/v1/nodes/n1", null).orElseThrow();
        assertEquals(401, missing.getStatus());
        assertEquals(InternalToken.CHALLENGE, missing.getHeaderString("WWW-Authenticate"));
        assertEquals(401, InternalToken.check(TOKEN, "DELETE", "/v1/functions/f", "Bearer s3cret2").orElseThrow().getStatus());
        assertEquals(401, InternalToken.check(TOKEN, "POST", "/v1/placements", "Basic czNjcmV0").orElseThrow().getStatus());
        assertFalse(InternalToken.presented("Bearer", "s3cret"));
        assertFalse(InternalToken.presented("Bearer ", "s3cret"));
    }
}
