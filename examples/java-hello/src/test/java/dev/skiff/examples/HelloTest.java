package dev.skiff.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HelloTest {

    @Test
    void greetsTheStrippedBody() {
        assertEquals("Hello, Ada!", new Hello(null).apply(" Ada\n"));
    }

    @Test
    void greetsTheWorldWhenTheBodyIsBlank() {
        assertEquals("Hello, world!", new Hello(null).apply(""));
        assertEquals("Hello, world!", new Hello(null).apply(" \n"));
    }

    @Test
    void greetingFromTheEnvironmentReplacesHello() {
        assertEquals("Ahoy, crew!", new Hello("Ahoy").apply("crew"));
    }
}
