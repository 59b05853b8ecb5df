package dev.skiff.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"hello", "functions/hello", "a/b/c", "a.b", "a_b", "a__b", "a---b", "0", "f1/x-y.z"})
    void namesFollowingTheGrammarAreAccepted(String name) {
        assertEquals(name, new RepositoryName(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Hello", "a/", "/a", "a//b", "..", "a/..", "../a", "a/./b", ".a", "a.", "a___b", "_a",
        "a/_layers", "a\\b", "a b", "a%2Fb", "a:b"})
    void namesBreakingTheGrammarAreNameInvalid(String name) {
        RegistryException e = assertThrows(RegistryException.class, () -> new RepositoryName(name));
        assertEquals(OciErrorCode.NAME_INVALID, e.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 1000})
    void overlongNamesAreNameInvalid(int length) {
        assertThrows(RegistryException.class, () -> new RepositoryName("a".repeat(length)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"functions/hello"})
    void componentsAreTheSlashSeparatedParts(String name) {
        assertEquals(List.of("functions", "hello"), new RepositoryName(name).components());
    }
}
