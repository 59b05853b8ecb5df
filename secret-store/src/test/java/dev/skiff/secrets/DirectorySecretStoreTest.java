package dev.skiff.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySecretStoreTest {
    @TempDir
    Path root;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createdSecretIsReadBackAsAPrivateFile() throws IOException {
        DirectorySecretStore store = new DirectorySecretStore(root);
        assertTrue(store.create(Secret.single("team-a", "db-password", bytes("s3cret"))));

        Secret read = store.get("team-a", "db-password").orElseThrow();
        assertArrayEquals(bytes("s3cret"), read.data().get("db-password"));
        Path file = root.resolve("team-a/db-password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("team-a"))));
        assertEquals(List.of("db-password"), store.names("team-a"));
    }

    @Test
    void secretsOfOneNamespaceAreAbsentInAnother() {
        DirectorySecretStore store = new DirectorySecretStore(root);
        store.create(Secret.single("team-a", "token", bytes("a")));
        assertTrue(store.get("team-b", "token").isEmpty());
        assertEquals(List.of(), store.names("team-b"));
        assertFalse(store.delete("team-b", "token"));
        assertTrue(store.get("team-a", "token").isPresent());
    }

    @Test
    void createRefusesAnExistingNameAndKeepsItsValue() {
        DirectorySecretStore store = new DirectorySecretStore(root);
        store.create(Secret.single("ns", "k", bytes("first")));
        assertFalse(store.create(Secret.single("ns", "k", bytes("second"))));
        assertArrayEquals(bytes("first"), store.get("ns", "k").orElseThrow().data().get("k"));
    }

    @Test
    void replaceChangesOnlyExistingSecretsAndLeavesNoTemporaryEntries() throws IOException {
        DirectorySecretStore store = new DirectorySecretStore(root);
        assertFalse(store.replace(Secret.single("ns", "k", bytes("v"))));
        assertTrue(store.get("ns", "k").isEmpty());
        store.create(Secret.single("ns", "k", bytes("v1")));
        assertTrue(store.replace(Secret.single("ns", "k", bytes("v2"))));
        assertArrayEquals(bytes("v2"), store.get("ns", "k").orElseThrow().data().get("k"));
        // a multi-key secret replaces a single-key one, and back
        assertTrue(store.replace(new Secret("ns", "k", Map.of("user", bytes("u"), "password", bytes("p")))));
        assertEquals(List.of("password", "user"), List.copyOf(store.get("ns", "k").orElseThrow().data().keySet()));
        assertTrue(store.replace(Secret.single("ns", "k", bytes("v3"))));
        assertArrayEquals(bytes("v3"), store.get("ns", "k").orElseThrow().data().get("k"));
        try (Stream<Path> entries = Files.list(root.resolve("ns"))) {
            assertEquals(List.of("k"), entries.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void deleteRemovesFileAndDirectorySecrets() {
        DirectorySecretStore store = new DirectorySecretStore(root);
        store.create(Secret.single("ns", "one", bytes("1")));
        store.create(new Secret("ns", "two", Map.of("a", bytes("1"), "b", bytes("2"))));
        assertTrue(store.delete("ns", "one"));
        assertTrue(store.delete("ns", "two"));
        assertFalse(store.delete("ns", "two"));
        assertEquals(List.of(), store.names("ns"));
    }

    @Test
    void aDirectoryLaidOutByHandIsASecretWithOneKeyPerFile() throws IOException {
        Path dir = Files.createDirectories(root.resolve("default/db"));
        Files.writeString(dir.resolve("user"), "admin");
        Files.writeString(dir.resolve("password"), "hunter2");
        Files.writeString(dir.resolve(".hidden"), "not a key");
        Files.writeString(root.resolve("default/api-key"), "k-123");

        Secret db = new DirectorySecretStore(root).get("default", "db").orElseThrow();
        assertEquals(List.of("password", "user"), List.copyOf(db.data().keySet()));
        assertArrayEquals(bytes("k-123"), new DirectorySecretStore(root).get("default", "api-key").orElseThrow().data().get("api-key"));
        assertEquals(List.of("api-key", "db"), new DirectorySecretStore(root).names("default"));
    }

    @Test
    void namesThatCouldLeaveTheRootAreRefused() {
        DirectorySecretStore store = new DirectorySecretStore(root);
        assertThrows(IllegalArgumentException.class, () -> store.get("ns", "../x"));
        assertThrows(IllegalArgumentException.class, () -> store.get("..", "x"));
        assertThrows(IllegalArgumentException.class, () -> store.names("a/b"));
        assertThrows(IllegalArgumentException.class, () -> store.create(new Secret("ns", "x", Map.of("..", bytes("v")))));
        assertThrows(IllegalArgumentException.class, () -> store.create(new Secret("ns", "x", Map.of("a/b", bytes("v")))));
        assertThrows(IllegalArgumentException.class, () -> store.create(new Secret("ns", "x", Map.of())));
        assertFalse(Files.exists(root.resolve("ns/x")));
    }

    @Test
    void aSecretLargerThanTheLimitIsRefusedWhole() {
        DirectorySecretStore store = new DirectorySecretStore(root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.create(Secret.single("ns", "big", new byte[Secret.MAX_BYTES + 1])));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        assertTrue(store.get("ns", "big").isEmpty());
    }

    @Test
    void toStringNamesKeysButNeverValues() {
        Secret secret = new Secret("ns", "db", Map.of("password", bytes("hunter2")));
        assertFalse(secret.toString().contains("hunter2"));
        assertTrue(secret.toString().contains("password"));
    }
}
