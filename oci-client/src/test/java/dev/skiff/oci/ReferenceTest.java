package dev.skiff.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void bareRepositoryDefaultsToLatest() {
        Reference ref = Reference.parse("code/hello");
        assertNull(ref.host());
        assertEquals("code/hello", ref.repository());
        assertEquals("latest", ref.tag());
        assertEquals("latest", ref.manifestReference());
    }

    @Test
    void digestPinsTheManifest() {
        Reference ref = Reference.parse("code/hello@" + DIGEST);
        assertNull(ref.tag());
        assertEquals(DIGEST, ref.manifestReference());
    }

    @Test
    void hostWithPortIsSeparated() {
        Reference ref = Reference.parse("localhost:5000/code/hello:v1");
        assertEquals("localhost:5000", ref.host());
        assertEquals("code/hello", ref.repository());
        assertEquals("v1", ref.tag());
    }

    @Test
    void invalidReferencesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("Code/Hello"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("code/../etc"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse("code/hello@sha256:abc"));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Reference.parse(null));
    }
}
