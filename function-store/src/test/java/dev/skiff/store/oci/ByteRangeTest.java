package dev.skiff.store.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void firstToLastIsInclusiveAndClampedToTheEnd() {
        assertEquals(Optional.of(new ByteRange(2, 5)), ByteRange.resolve("bytes=2-5", 10));
        assertEquals(Optional.of(new ByteRange(2, 9)), ByteRange.resolve("bytes=2-500", 10));
        assertEquals(Optional.of(new ByteRange(0, 9)), ByteRange.resolve("bytes=0-99999999999999999999999", 10));
        assertEquals(4, new ByteRange(2, 5).length());
    }

    @Test
    void openEndedRunsToTheEnd() {
        assertEquals(Optional.of(new ByteRange(7, 9)), ByteRange.resolve("bytes=7-", 10));
        assertEquals(Optional.of(new ByteRange(9, 9)), ByteRange.resolve("BYTES = 9 -", 10));
    }

    @Test
    void suffixIsTheLastBytesOrAllOfThem() {
        assertEquals(Optional.of(new ByteRange(7, 9)), ByteRange.resolve("bytes=-3", 10));
        assertEquals(Optional.of(new ByteRange(0, 9)), ByteRange.resolve("bytes=-30", 10));
    }

    @Test
    void rangesTheStoreDoesNotHonourServeTheWholeBlob() {
        for (String header : new String[] {null, "bytes=1-2,4-5", "items=0-1", "bytes=5-2", "bytes=-", "garbage"}) {
            assertEquals(Optional.empty(), ByteRange.resolve(header, 10), header);
        }
    }

    @Test
    void rangeBeyondTheEndIsUnsatisfiable() {
        for (String header : new String[] {"bytes=10-", "bytes=10-20", "bytes=-0", "bytes=99999999999999999999-"}) {
            RegistryException e = assertThrows(RegistryException.class, () -> ByteRange.resolve(header, 10), header);
            assertEquals(416, e.status());
            assertEquals(OciErrorCode.RANGE_INVALID, e.code());
            assertEquals("bytes */10", e.headers().get("Content-Range"));
        }
        assertThrows(RegistryException.class, () -> ByteRange.resolve("bytes=-1", 0));
    }

    @Test
    void contentRangeNamesTheRangeAndTheSize() {
        assertEquals("bytes 2-5/10", new ByteRange(2, 5).contentRange(10));
    }
}
