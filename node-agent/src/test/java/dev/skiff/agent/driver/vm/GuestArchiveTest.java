package dev.skiff.agent.driver.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.secrets.FunctionSecrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestArchiveTest {
    private static final String HOSTILE = "$(reboot) `id`; \"quoted\" 'single'\nsecond line\\";

    private static FunctionSpec spec(Map<String, String> env) {
        return new FunctionSpec("hello", "exec", "handler.sh", env, null, null, 128L << 20, 1000, 1, 0, 5, 60, 10);
    }

    @Test
    void carriesTheCodeTheHandlerAndEachVariableAsItsOwnRawFile() {
        List<Cpio.Entry> entries = GuestArchive.entries(spec(Map.of("GREETING", HOSTILE, "EMPTY", "")), List.of(
                new GuestArchive.CodeFile("handler.sh", true, "#!/bin/sh\ncat\n".getBytes(StandardCharsets.UTF_8)),
                new GuestArchive.CodeFile("data.txt", false, "x".getBytes(StandardCharsets.UTF_8))), 80);
        Map<String, Cpio.Entry> byName = new LinkedHashMap<>();
        entries.forEach(e -> byName.put(e.name(), e));

        assertEquals(Cpio.FILE | 0755, byName.get("code/handler.sh").mode());
        assertEquals(Cpio.FILE | 0644, byName.get("code/data.txt").mode());
        assertEquals("handler.sh\n", text(byName.get("skiff/function/handler")));
        assertEquals(HOSTILE, text(byName.get("skiff/function/env/GREETING")), "values travel byte for byte, never as shell");
        assertEquals("", text(byName.get("skiff/function/env/EMPTY")));
        assertEquals("1\n", text(byName.get("skiff/function/concurrency")));
        assertEquals("80\n", text(byName.get("skiff/function/heap-mb")));
        assertTrue(List.copyOf(byName.keySet()).indexOf("code") < List.copyOf(byName.keySet()).indexOf("code/handler.sh"),
                "directories come before their files");
    }

    @Test
    void secretsBecomePrivateFilesInOpenFaasPlaceAndVariablesBesideTheOthers() {
        FunctionSecrets secrets = new FunctionSecrets(Map.of("db-password", "hunter2".getBytes(StandardCharsets.UTF_8)),
                Map.of("API_KEY", "k-123"));
        Map<String, Cpio.Entry> byName = new LinkedHashMap<>();
        GuestArchive.entries(spec(Map.of("GREETING", "hi")), List.of(), 32, secrets).forEach(e -> byName.put(e.name(), e));

        assertEquals(Cpio.DIRECTORY | 0700, byName.get("var/openfaas/secrets").mode());
        assertEquals(Cpio.FILE | 0400, byName.get("var/openfaas/secrets/db-password").mode());
        assertEquals("hunter2", text(byName.get("var/openfaas/secrets/db-password")));
        assertEquals("k-123", text(byName.get("skiff/function/env/API_KEY")));
        assertEquals("/var/openfaas/secrets", text(byName.get("skiff/function/env/SKIFF_SECRETS_DIR")));
        assertEquals("hi", text(byName.get("skiff/function/env/GREETING")));
        List<String> order = List.copyOf(byName.keySet());
        assertTrue(order.indexOf("var/openfaas/secrets") < order.indexOf("var/openfaas/secrets/db-password"));
    }

    @Test
    void variablesWhoseNamesAreNotShellNamesAreLeftOut() {
        List<Cpio.Entry> entries = GuestArchive.entries(spec(Map.of("OK_1", "a", "../escape", "b", "1ST", "c", "A-B", "d",
                "x y", "e")), List.of(), 32);
        List<String> env = entries.stream().map(Cpio.Entry::name).filter(n -> n.startsWith("skiff/function/env/")).toList();
        assertEquals(List.of("skiff/function/env/OK_1", "skiff/function/env/SKIFF_SECRETS_DIR"), env);
    }

    @Test
    void writesANewcArchiveLinuxUnpacks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cpio.write(List.of(Cpio.Entry.directory("code"), Cpio.Entry.file("code/a", 0755, new byte[] {1, 2, 3})), out);
        byte[] archive = out.toByteArray();
        String text = new String(archive, StandardCharsets.ISO_8859_1);

        assertTrue(text.startsWith("070701"), "newc magic");
        assertEquals(0, archive.length % 4, "padded to 4 bytes");
        assertTrue(text.contains("code/a\0"));
        assertTrue(text.substring(text.lastIndexOf("070701")).contains("TRAILER!!!\0"), "ends with the trailer");

        // second member: header at a 4-byte boundary, file size 3, mode 0100755, then its bytes
        int second = text.indexOf("070701", 6);
        assertEquals(0, second % 4);
        assertEquals(Cpio.FILE | 0755, Integer.parseInt(text.substring(second + 14, second + 22), 16));
        assertEquals(3, Integer.parseInt(text.substring(second + 54, second + 62), 16));
        int nameSize = Integer.parseInt(text.substring(second + 94, second + 102), 16);
        int data = align(second + 110 + nameSize);
        assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOfRange(archive, data, data + 3));
        assertFalse(text.substring(0, second).contains("code/a"));
    }

    private static int align(int offset) {
        return (offset + 3) & ~3;
    }

    private static String text(Cpio.Entry entry) {
        return new String(entry.data(), StandardCharsets.UTF_8);
    }
}
