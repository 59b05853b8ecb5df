package dev.skiff.examples;

import java.util.function.Function;

/**
 * A Skiff function for the {@code java} runtime: a public class with a no-argument constructor
 * implementing {@code java.util.function.Function<String, String>} (or {@code <byte[], byte[]>}
 * for raw bytes). It needs no Skiff dependency. Skiff creates one instance when the function's
 * instance starts and calls {@link #apply} once per request, with the body as text.
 *
 * <p>Answers {@code Hello, <body>!} ({@code Hello, world!} for a blank body); the function's
 * {@code GREETING} environment variable, when set, replaces "Hello".
 */
public final class Hello implements Function<String, String> {
    private final String greeting;

    public Hello() {
        this(System.getenv("GREETING"));
    }

    Hello(String greeting) {
        this.greeting = greeting == null || greeting.isBlank() ? "Hello" : greeting.strip();
    }

    @Override
    public String apply(String input) {
        String name = input == null || input.isBlank() ? "world" : input.strip();
        return greeting + ", " + name + "!";
    }
}
