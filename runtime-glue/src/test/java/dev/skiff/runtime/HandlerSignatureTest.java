package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skiff.runtime.HandlerSignature.Input;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HandlerSignatureTest {

    static class Text implements Function<String, String> {
        public String apply(String s) {
            return s;
        }
    }

    static class Bytes implements Function<byte[], byte[]> {
        public byte[] apply(byte[] b) {
            return b;
        }
    }

    @SuppressWarnings("rawtypes")
    static class Raw implements Function {
        public Object apply(Object o) {
            return o;
        }
    }

    abstract static class Base<I, O> implements Function<I, O> {
    }

    static class BytesThroughBase extends Base<byte[], String> {
        public String apply(byte[] b) {
            return "";
        }
    }

    static class SubclassOfBytes extends Bytes {
    }

    interface ByteFunction extends Function<byte[], byte[]> {
    }

    static class BytesThroughInterface implements ByteFunction {
        public byte[] apply(byte[] b) {
            return b;
        }
    }

    static class Numbers implements Function<Integer, String> {
        public String apply(Integer i) {
            return "";
        }
    }

    @Test
    void stringAndRawFunctionsTakeText() {
        assertEquals(Input.TEXT, HandlerSignature.inputOf(Text.class));
        assertEquals(Input.TEXT, HandlerSignature.inputOf(Raw.class));
    }

    @Test
    void byteArrayFunctionsTakeBytesWhereverTheTypeArgumentIsBound() {
        assertEquals(Input.BYTES, HandlerSignature.inputOf(Bytes.class));
        assertEquals(Input.BYTES, HandlerSignature.inputOf(SubclassOfBytes.class));
        assertEquals(Input.BYTES, HandlerSignature.inputOf(BytesThroughBase.class));
        assertEquals(Input.BYTES, HandlerSignature.inputOf(BytesThroughInterface.class));
    }

    @Test
    void otherInputTypesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HandlerSignature.inputOf(Numbers.class));
        assertThrows(IllegalArgumentException.class, () -> HandlerSignature.inputOf(String.class));
    }
}
