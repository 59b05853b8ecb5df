package dev.skiff.agent.driver.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.contracts.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmImagesTest {
    @TempDir
    Path dir;

    @Test
    void aVersionsInitrdIsMadeOnceEvenWhenItLooksAsOldAsTheBaseAndAgainForANewBase() throws Exception {
        Path exec = Files.createDirectories(dir.resolve("images/exec"));
        Files.write(exec.resolve("vmlinuz"), new byte[] {1});
        Path root = Files.write(exec.resolve("base.cpio.gz"), new byte[] {2, 3});
        Path code = Files.createDirectories(dir.resolve("cache/sha256-ab/code"));
        Files.writeString(code.resolve("handler.sh"), "#!/bin/sh\ncat\n");
        FunctionVersion version = new FunctionVersion(
                new FunctionSpec("hello", "exec", "handler.sh", Map.of(), null, null, 128L << 20, 1000, 1, 0, 5, 60, 10), "sha256:ab", code);
        VmImages images = new VmImages(dir.resolve("images"), VmImages.BZIMAGE, Optional.empty());

        Path first = images.initrd(version, images.base("exec"), 32);
        // a coarse file system clock: the initrd stamped with the base root's very time
        Files.setLastModifiedTime(first, Files.getLastModifiedTime(root));
        FileTime made = Files.getLastModifiedTime(first);
        assertEquals(first, images.initrd(version, images.base("exec"), 32));
        assertEquals(made, Files.getLastModifiedTime(first), "not made again: a new initrd would change every snapshot key");

        Files.write(root, new byte[] {2, 3, 4});
        assertNotEquals(first, images.initrd(version, images.base("exec"), 32), "a rebuilt base image gets a new initrd");
    }
}
