package dev.skiff.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageRequestTest {
    private static final List<String> SORTED = List.of("a", "b", "c", "d");

    @Test
    void withoutLimitTheWholeRestIsOnePage() {
        PageRequest.Page page = PageRequest.of(null, "a").apply(SORTED);
        assertEquals(List.of("b", "c", "d"), page.items());
        assertFalse(page.more());
    }

    @Test
    void limitCutsThePageAndSaysMoreRemain() {
        PageRequest.Page page = PageRequest.of("2", null).apply(SORTED);
        assertEquals(List.of("a", "b"), page.items());
        assertTrue(page.more());
        assertEquals("b", page.lastItem());
    }

    @Test
    void lastPageSaysNothingRemains() {
        PageRequest.Page page = PageRequest.of("2", "b").apply(SORTED);
        assertEquals(List.of("c", "d"), page.items());
        assertFalse(page.more());
    }

    @Test
    void lastNeedNotBeAnEntry() {
        assertEquals(List.of("c", "d"), PageRequest.of(null, "bb").apply(SORTED).items());
    }

    @Test
    void zeroLimitGivesAnEmptyPageWithoutNext() {
        PageRequest.Page page = PageRequest.of("0", null).apply(SORTED);
        assertEquals(List.of(), page.items());
        assertFalse(page.more());
    }

    @Test
    void negativeOrNonNumericLimitIsPaginationNumberInvalid() {
        for (String n : List.of("-1", "x", "1.5", "99999999999")) {
            RegistryException e = assertThrows(RegistryException.class, () -> PageRequest.of(n, null));
            assertEquals(OciErrorCode.PAGINATION_NUMBER_INVALID, e.code());
        }
    }
}
