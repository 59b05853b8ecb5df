package dev.skiff.store.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bearerTokenIsTheToken() {
        assertEquals(Optional.of("s3cret"), Credentials.token("Bearer s3cret"));
        assertEquals(Optional.of("s3cret"), Credentials.token("bearer   s3cret "));
    }

    @Test
    void basicPasswordIsTheTokenWhateverTheUser() {
        assertEquals(Optional.of("s3cret"), Credentials.token(basic("skiff:s3cret")));
        assertEquals(Optional.of("s3cret"), Credentials.token(basic(":s3cret")));
        assertEquals(Optional.of("with:colon"), Credentials.token(basic("user:with:colon")));
        assertEquals(Optional.of("s3cret"), Credentials.token(basic("user:s3cret").replace("Basic", "BASIC")));
    }

    @Test
    void anythingElsePresentsNoToken() {
        for (String header : new String[] {null, "", "Bearer", "Bearer ", "Basic !!notbase64", basic("no colon"),
                basic("user:"), "Digest username=x", "s3cret"}) {
            assertEquals(Optional.empty(), Credentials.token(header), String.valueOf(header));
        }
    }
}
