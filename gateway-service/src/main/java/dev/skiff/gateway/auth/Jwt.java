package dev.skiff.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Verification of compact HS256 JSON Web Tokens (RFC 7519), JDK only. {@code exp} is required. */
final class Jwt {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a token was refused. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private Jwt() {
    }

    /** The claims of a token signed with {@code secret} and not expired at {@code nowSeconds}. */
    static JsonNode verify(String token, String secret, long nowSeconds) throws Invalid {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Invalid("not a JWT");
        }
        JsonNode header = decode(parts[0]);
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new Invalid("only HS256 tokens are accepted");
        }
        byte[] expected = hmac(parts[0] + "." + parts[1], secret);
        byte[] actual;
        try {
            actual = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new Invalid("the signature is not base64url");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new Invalid("the signature does not match");
        }
        JsonNode claims = decode(parts[1]);
        if (!claims.path("exp").canConvertToLong()) {
            throw new Invalid("the token has no expiry (exp)");
        }
        if (claims.path("exp").asLong() <= nowSeconds) {
            throw new Invalid("the token expired");
        }
        if (claims.path("nbf").canConvertToLong() && claims.path("nbf").asLong() > nowSeconds) {
            throw new Invalid("the token is not valid yet");
        }
        return claims;
    }

    /** A signed token with these claims (for tests and tooling). */
    static String create(String claimsJson, String secret) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(header + "." + claims, secret));
    }

    private static byte[] hmac(String data, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static JsonNode decode(String part) throws Invalid {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw new Invalid("a JWT part is not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException | IOException e) {
            throw new Invalid("a JWT part is not base64url JSON");
        }
    }
}
