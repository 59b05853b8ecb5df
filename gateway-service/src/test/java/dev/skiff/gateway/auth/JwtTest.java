package dev.skiff.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtTest {
    private static final String SECRET = "jwt-secret";
    private static final long NOW = 1_800_000_000L;

    @Test
    void aSignedUnexpiredTokenGivesItsClaims() throws Jwt.Invalid {
        String token = Jwt.create("{\"ns\":\"team-a\",\"role\":\"tenant\",\"exp\":" + (NOW + 60) + "}", SECRET);
        assertEquals("team-a", Jwt.verify(token, SECRET, NOW).path("ns").asText());
    }

    @Test
    void expiredForgedOrMalformedTokensAreRefusedSayingWhy() {
        String expired = Jwt.create("{\"ns\":\"a\",\"exp\":" + (NOW - 1) + "}", SECRET);
        assertEquals("the token expired", assertThrows(Jwt.Invalid.class, () -> Jwt.verify(expired, SECRET, NOW)).getMessage());
        String other = Jwt.create("{\"ns\":\"a\",\"exp\":" + (NOW + 60) + "}", "another-secret");
        assertEquals("the signature does not match", assertThrows(Jwt.Invalid.class, () -> Jwt.verify(other, SECRET, NOW)).getMessage());
        String forever = Jwt.create("{\"ns\":\"a\"}", SECRET);
        assertEquals("the token has no expiry (exp)", assertThrows(Jwt.Invalid.class, () -> Jwt.verify(forever, SECRET, NOW)).getMessage());
        String none = b64("{\"alg\":\"none\"}") + "." + b64("{\"ns\":\"a\",\"exp\":" + (NOW + 60) + "}") + ".";
        assertEquals("only HS256 tokens are accepted", assertThrows(Jwt.Invalid.class, () -> Jwt.verify(none, SECRET, NOW)).getMessage());
        String early = Jwt.create("{\"ns\":\"a\",\"exp\":" + (NOW + 60) + ",\"nbf\":" + (NOW + 30) + "}", SECRET);
        assertEquals("the token is not valid yet", assertThrows(Jwt.Invalid.class, () -> Jwt.verify(early, SECRET, NOW)).getMessage());
        assertEquals("not a JWT", assertThrows(Jwt.Invalid.class, () -> Jwt.verify("a.b", SECRET, NOW)).getMessage());
        assertEquals("a JWT part is not base64url JSON", assertThrows(Jwt.Invalid.class, () -> Jwt.verify("%%.e30.x", SECRET, NOW)).getMessage());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
