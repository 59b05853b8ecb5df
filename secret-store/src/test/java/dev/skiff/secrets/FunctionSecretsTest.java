package dev.skiff.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.Names;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionSecretsTest {
    @TempDir
    Path root;
    private DirectorySecretStore store;

    @BeforeEach
    void secrets() {
        store = new DirectorySecretStore(root);
        store.create(Secret.single("team-a", "api-key", bytes("k-123")));
        store.create(new Secret("team-a", "db", Map.of("user", bytes("admin"), "password", bytes("hunter2"))));
        store.create(Secret.single("team-a", "blob", new byte[] {0, (byte) 0xff}));
        store.create(Secret.single("team-b", "api-key", bytes("other-tenant")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static FunctionSpec spec(String namespace, List<String> secrets, Map<String, String> secretEnv) {
        return new FunctionSpec("f", "exec", "h.sh", Map.of(), Map.of(), Map.of(Names.NAMESPACE_ANNOTATION, namespace),
                1 << 27, 1000, 1, 0, 1, 60, 30, secrets, secretEnv);
    }

    @Test
    void filesAreEveryKeyOfEveryNamedSecretAndEnvTakesOneValueEach() {
        FunctionSecrets resolved = FunctionSecrets.resolve(spec("team-a", List.of("api-key", "db"),
                Map.of("API_KEY", "api-key", "DB_USER", "db/user")), store);
        assertEquals(List.of("api-key", "password", "user"), List.copyOf(resolved.files().keySet()));
        assertArrayEquals(bytes("hunter2"), resolved.files().get("password"));
        assertEquals(Map.of("API_KEY", "k-123", "DB_USER", "admin"), resolved.env());
    }

    @Test
    void secretsAreReadInTheFunctionsOwnNamespaceOnly() {
        FunctionSecrets b = FunctionSecrets.resolve(spec("team-b", List.of("api-key"), Map.of()), store);
        assertArrayEquals(bytes("other-tenant"), b.files().get("api-key"));
        SecretException e = assertThrows(SecretException.class,
                () -> FunctionSecrets.resolve(spec("team-b", List.of("db"), Map.of()), store));
        assertEquals("secret db not found in namespace team-b (directory store)", e.getMessage());
        assertEquals("secrets", e.field());
    }

    @Test
    void aSpecWithoutSecretsNeverReadsTheStore() {
        SecretStore unreachable = new KubernetesSecretStore(null);
        assertSame(FunctionSecrets.NONE, FunctionSecrets.resolve(new FunctionSpec("f", "exec", "h", Map.of(), Map.of(), Map.of(),
                1, 1, 1, 0, 1, 1, 1), unreachable));
    }

    @Test
    void unusableReferencesFailNamingTheProblemButNoValue() {
        store.create(Secret.single("team-a", "password", bytes("x")));
        assertThrows(SecretException.class, () -> FunctionSecrets.resolve(spec("team-a", List.of(), Map.of("X", "db/nope")), store));
        SecretException ambiguous = assertThrows(SecretException.class,
                () -> FunctionSecrets.resolve(spec("team-a", List.of(), Map.of("X", "db")), store));
        assertTrue(ambiguous.getMessage().contains("db/<key>"), ambiguous.getMessage());
        assertEquals("secretEnv[X]", ambiguous.field());
        SecretException binary = assertThrows(SecretException.class,
                () -> FunctionSecrets.resolve(spec("team-a", List.of(), Map.of("X", "blob")), store));
        assertTrue(binary.getMessage().contains("as a file"), binary.getMessage());
        SecretException clash = assertThrows(SecretException.class,
                () -> FunctionSecrets.resolve(spec("team-a", List.of("db", "password"), Map.of()), store));
        assertTrue(clash.getMessage().contains("'password'"), clash.getMessage());
        for (SecretException e : List.of(ambiguous, binary, clash)) {
            assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("admin"), e.getMessage());
        }
    }

    @Test
    void fingerprintChangesWithAnyValueAndWithTheKeyButNeverShowsOne() {
        FunctionSpec spec = spec("team-a", List.of("db"), Map.of("API_KEY", "api-key"));
        byte[] key = bytes("agent-key-1");
        String before = FunctionSecrets.resolve(spec, store).fingerprint(key);
        assertEquals(before, FunctionSecrets.resolve(spec, store).fingerprint(key));
        assertNotEquals(before, FunctionSecrets.resolve(spec, store).fingerprint(bytes("agent-key-2")));
        store.replace(new Secret("team-a", "db", Map.of("user", bytes("admin"), "password", bytes("hunter3"))));
        assertNotEquals(before, FunctionSecrets.resolve(spec, store).fingerprint(key));
        assertTrue(before.matches("[0-9a-f]{16}"), before);
    }

    @Test
    void referencesParseAsSecretOrSecretSlashKey() {
        assertEquals(new FunctionSecrets.Ref("db", null), FunctionSecrets.Ref.parse("db"));
        assertEquals(new FunctionSecrets.Ref("db", "pass.word"), FunctionSecrets.Ref.parse("db/pass.word"));
        assertThrows(IllegalArgumentException.class, () -> FunctionSecrets.Ref.parse("db/.."));
        assertThrows(IllegalArgumentException.class, () -> FunctionSecrets.Ref.parse("Db"));
        assertTrue("db/user".matches(FunctionSecrets.Ref.PATTERN));
        assertFalse("db/a/b".matches(FunctionSecrets.Ref.PATTERN));
        String text = FunctionSecrets.resolve(spec("team-a", List.of("db"), Map.of("K", "api-key")), store).toString();
        assertFalse(text.contains("hunter2") || text.contains("k-123"), text);
    }
}
