package dev.skiff.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
    private static final String SHA256_OF_EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void referenceWithAColonIsADigestAndOtherwiseATag() {
        assertInstanceOf(Digest.class, Reference.parse(SHA256_OF_EMPTY));
        assertInstanceOf(Tag.class, Reference.parse("v1.0_rc-1"));
    }

    @Test
    void digestOfContentIsComputedByItsAlgorithm() {
        assertEquals(SHA256_OF_EMPTY, Digest.of(DigestAlgorithm.SHA256, new byte[0]).toString());
        assertEquals(DigestAlgorithm.SHA512,
                Digest.parse(Digest.of(DigestAlgorithm.SHA512, "x".getBytes(StandardCharsets.UTF_8)).toString()).algorithm());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "sha256:" + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha256:../../etc/passwd", ":abc", "sha256:", "SHA256:abc"})
    void malformedOrUnsupportedDigestsAreDigestInvalid(String digest) {
        RegistryException e = assertThrows(RegistryException.class, () -> Digest.parse(digest));
        assertEquals(OciErrorCode.DIGEST_INVALID, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-v1", ".hidden", "..", "a/b", "with space", ""})
    void tagsBreakingTheGrammarAreTagInvalid(String tag) {
        RegistryException e = assertThrows(RegistryException.class, () -> Reference.parse(tag));
        assertEquals(OciErrorCode.TAG_INVALID, e.code());
    }

    @Test
    void tagsAreAtMost128Characters() {
        assertEquals(128, new Tag("t".repeat(128)).value().length());
        assertThrows(RegistryException.class, () -> new Tag("t".repeat(129)));
    }
}
