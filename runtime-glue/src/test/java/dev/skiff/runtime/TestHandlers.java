package dev.skiff.runtime;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Handler classes for the java runtime; tests pack them into a jar so the function loader really loads from one. */
public final class TestHandlers {
    private TestHandlers() {
    }

    /** Upper-cases its text. */
    public static final class Upper implements Function<String, String> {
        @Override
        public String apply(String input) {
            return input.toUpperCase();
        }
    }

    /** Reverses raw bytes. */
    public static final class Reverse implements Function<byte[], byte[]> {
        @Override
        public byte[] apply(byte[] input) {
            byte[] out = new byte[input.length];
            for (int i = 0; i < input.length; i++) {
                out[i] = input[input.length - 1 - i];
            }
            return out;
        }
    }

    /** Always fails, with a two-line message. */
    public static final class Fails implements Function<String, String> {
        @Override
        public String apply(String input) {
            throw new IllegalStateException("broken\nhandler");
        }
    }

    /** Counts its instances: answers how many exist. */
    public static final class Counted implements Function<String, String> {
        private static final AtomicInteger INSTANCES = new AtomicInteger();

        public Counted() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public String apply(String input) {
            return Integer.toString(INSTANCES.get());
        }
    }

    /** Tells which loader loaded it, which loader is the context loader, and whether the glue is visible. */
    public static final class Isolation implements Function<String, String> {
        @Override
        public String apply(String input) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            boolean glueVisible;
            try {
                Class.forName("dev.skiff.runtime.Main", false, context);
                glueVisible = true;
            } catch (ClassNotFoundException e) {
                glueVisible = false;
            }
            return getClass().getClassLoader().getName() + " " + (context == getClass().getClassLoader()) + " " + glueVisible;
        }
    }

    /** Answers only once two calls are inside it at the same time. */
    public static final class Meet implements Function<String, String> {
        private final CyclicBarrier barrier = new CyclicBarrier(2);

        @Override
        public String apply(String input) {
            try {
                barrier.await(10, TimeUnit.SECONDS);
                return "met";
            } catch (Exception e) {
                throw new IllegalStateException("alone", e);
            }
        }
    }

    /** Greets with the GREETING environment variable. */
    public static final class EnvGreeting implements Function<String, String> {
        @Override
        public String apply(String input) {
            return System.getenv("GREETING") + ", " + input;
        }
    }

    /** Cannot be constructed. */
    public static final class BrokenConstructor implements Function<String, String> {
        public BrokenConstructor() {
            throw new IllegalStateException("no database");
        }

        @Override
        public String apply(String input) {
            return input;
        }
    }

    /** Not a function at all. */
    public static final class NotAFunction {
    }
}
