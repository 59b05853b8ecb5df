package dev.skiff.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private static AuthConfig config(Optional<List<String>> admin, Map<String, List<String>> keys, Optional<String> jwt) {
        return new AuthConfig() {
            public Optional<List<String>> adminKeys() {
                return admin;
            }

            public Map<String, List<String>> keys() {
                return keys;
            }

            public Optional<String> jwtSecret() {
                return jwt;
            }
        };
    }

    private final Authenticator auth = new Authenticator(config(Optional.of(List.of("root-key")),
            Map.of("team-a", List.of("a-key", "a-key-2"), "team-b", List.of("b-key")), Optional.of("s")));

    @Test
    void keysNameTheirNamespaceOrTheAdminRole() {
        assertEquals(new Caller("default", true), auth.authenticate("Bearer root-key"));
        assertEquals(new Caller("team-a", false), auth.authenticate("Bearer a-key-2"));
        assertEquals(new Caller("team-b", false), auth.authenticate("bearer b-key"));
        assertTrue(new Caller("default", true).mayUse("team-b"));
        assertFalse(new Caller("team-a", false).mayUse("team-b"));
    }

    @Test
    void jwtsCarryNamespaceAndRole() {
        long exp = System.currentTimeMillis() / 1000 + 60;
        assertEquals(new Caller("team-c", false), auth.authenticate("Bearer " + Jwt.create("{\"ns\":\"team-c\",\"exp\":" + exp + "}", "s")));
        assertEquals(new Caller("ops", true),
                auth.authenticate("Bearer " + Jwt.create("{\"ns\":\"ops\",\"role\":\"admin\",\"exp\":" + exp + "}", "s")));
        AuthException bad = assertThrows(AuthException.class,
                () -> auth.authenticate("Bearer " + Jwt.create("{\"ns\":\"../x\",\"exp\":" + exp + "}", "s")));
        assertEquals("the JWT's ns claim is not a namespace name", bad.getMessage());
    }

    @Test
    void missingMalformedOrUnknownCredentialsAre401WithAChallenge() {
        AuthException missing = assertThrows(AuthException.class, () -> auth.authenticate(null));
        assertEquals(401, missing.status());
        assertEquals("Bearer realm=\"skiff\"", missing.headers().get("WWW-Authenticate"));
        assertEquals("credentials go in Authorization: Bearer <API key or JWT>",
                assertThrows(AuthException.class, () -> auth.authenticate("Basic cm9vdA==")).getMessage());
        assertEquals("the API key is not valid", assertThrows(AuthException.class, () -> auth.authenticate("Bearer nope")).getMessage());
        String expired = Jwt.create("{\"ns\":\"team-a\",\"exp\":1}", "s");
        assertEquals("the JWT is not valid: the token expired",
                assertThrows(AuthException.class, () -> auth.authenticate("Bearer " + expired)).getMessage());
    }

    @Test
    void withNothingConfiguredTheApiIsOpen() {
        Authenticator open = new Authenticator(config(Optional.empty(), Map.of(), Optional.empty()));
        assertFalse(open.enabled());
        assertEquals(Caller.OPEN, open.authenticate(null));
    }
}
