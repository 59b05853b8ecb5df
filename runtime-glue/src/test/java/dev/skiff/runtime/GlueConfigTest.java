package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueConfigTest {
    @TempDir
    Path code;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("SKIFF_RUNTIME", "exec", "SKIFF_HANDLER", "handler.sh",
                "SKIFF_CODE_DIR", code.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private String rejection(Map<String, String> env) {
        return assertThrows(IllegalArgumentException.class, () -> GlueConfig.fromEnv(env)).getMessage();
    }

    @Test
    void unsetOptionsTakeTheirDefaults() {
        GlueConfig config = GlueConfig.fromEnv(env());
        assertEquals(GlueConfig.FunctionRuntime.EXEC, config.runtime());
        assertEquals("127.0.0.1", config.bind());
        assertEquals(0, config.port());
        assertEquals(1, config.concurrency());
        assertEquals("", config.instanceId());
        assertNull(config.readyUrl());
        assertFalse(config.exitOnStdinEof());
    }

    @Test
    void everyVariableIsRead() {
        GlueConfig config = GlueConfig.fromEnv(env("SKIFF_RUNTIME", "java", "SKIFF_HANDLER", "com.example.Fn",
                "SKIFF_BIND", "0.0.0.0", "SKIFF_PORT", "8080", "SKIFF_CONCURRENCY", "4", "SKIFF_INSTANCE_ID", "fn-1",
                "SKIFF_READY_URL", "http://10.0.0.1:9000/ready", "SKIFF_EXIT_ON_STDIN_EOF", "true"));
        assertEquals(new GlueConfig(GlueConfig.FunctionRuntime.JAVA, "com.example.Fn", code.toAbsolutePath().normalize(),
                "0.0.0.0", 8080, 4, "fn-1", URI.create("http://10.0.0.1:9000/ready"), true), config);
    }

    @Test
    void unknownRuntimeIsRejected() {
        assertTrue(rejection(env("SKIFF_RUNTIME", "cobol")).contains("SKIFF_RUNTIME"));
    }

    @Test
    void missingRequiredVariablesAreNamed() {
        Map<String, String> env = env();
        env.remove("SKIFF_HANDLER");
        assertEquals("SKIFF_HANDLER is required", rejection(env));
        env.put("SKIFF_HANDLER", "x");
        env.remove("SKIFF_CODE_DIR");
        assertEquals("SKIFF_CODE_DIR is required", rejection(env));
    }

    @Test
    void codeDirectoryMustExist() {
        assertTrue(rejection(env("SKIFF_CODE_DIR", code.resolve("nope").toString())).contains("SKIFF_CODE_DIR"));
    }

    @Test
    void numbersOutOfRangeAreRejected() {
        assertTrue(rejection(env("SKIFF_PORT", "70000")).contains("SKIFF_PORT"));
        assertTrue(rejection(env("SKIFF_CONCURRENCY", "0")).contains("SKIFF_CONCURRENCY"));
        assertTrue(rejection(env("SKIFF_CONCURRENCY", "many")).contains("SKIFF_CONCURRENCY"));
    }

    @Test
    void readyUrlMustBeHttp() {
        assertTrue(rejection(env("SKIFF_READY_URL", "ftp://agent/ready")).contains("SKIFF_READY_URL"));
        assertTrue(rejection(env("SKIFF_READY_URL", "http://bad url")).contains("SKIFF_READY_URL"));
    }
}
