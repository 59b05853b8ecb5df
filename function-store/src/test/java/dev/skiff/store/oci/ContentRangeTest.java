package dev.skiff.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

    @Test
    void rangeIsInclusiveOnBothEnds() {
        ContentRange range = ContentRange.parseHeader("10-19");
        assertEquals(10, range.start());
        assertEquals(10, range.length());
    }

    @Test
    void bytesPrefixIsTolerated() {
        assertEquals(5, ContentRange.parseHeader("bytes 0-4").length());
        assertEquals(5, ContentRange.parseHeader("bytes=0-4").length());
    }

    @Test
    void absentHeaderIsNoRange() {
        assertNull(ContentRange.parseHeader(null));
        assertNull(ContentRange.parseHeader(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "5-4", "-1-3", "0-", "1-2-3", "0-99999999999999999999"})
    void malformedRangeIsBlobUploadInvalid(String header) {
        RegistryException e = assertThrows(RegistryException.class, () -> ContentRange.parseHeader(header));
        assertEquals(OciErrorCode.BLOB_UPLOAD_INVALID, e.code());
    }
}
