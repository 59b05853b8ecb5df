package dev.skiff.agent.driver.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.secrets.FunctionSecrets;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Test
    void secretValuesGetTheirOwnInitrdAndAChangedValueRetiresTheOldOne() throws Exception {
        Path exec = Files.createDirectories(dir.resolve("images/exec"));
        Files.write(exec.resolve("vmlinuz"), new byte[] {1});
        Files.write(exec.resolve("base.cpio.gz"), new byte[] {2, 3});
        Path code = Files.createDirectories(dir.resolve("cache/sha256-ab/code"));
        Files.writeString(code.resolve("handler.sh"), "#!/bin/sh\ncat\n");
        FunctionVersion version = new FunctionVersion(
                new FunctionSpec("hello", "exec", "handler.sh", Map.of(), null, null, 128L << 20, 1000, 1, 0, 5, 60, 10), "sha256:ab", code);
        VmImages images = new VmImages(dir.resolve("images"), VmImages.BZIMAGE, Optional.empty(), Optional.empty(), new byte[] {7});
        FunctionSecrets v1 = new FunctionSecrets(Map.of("token", "one".getBytes()), Map.of());
        FunctionSecrets v2 = new FunctionSecrets(Map.of("token", "two".getBytes()), Map.of());

        Path plain = images.initrd(version, images.base("exec"), 32);
        Path first = images.initrd(version, images.base("exec"), 32, v1);
        assertNotEquals(plain, first);
        assertEquals(first, images.initrd(version, images.base("exec"), 32, v1), "same values, same initrd (and snapshot)");
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        assertFalse(first.getFileName().toString().contains("one"));

        Path second = images.initrd(version, images.base("exec"), 32, v2);
        assertNotEquals(first, second);
        assertFalse(Files.exists(first), "the initrd holding the old value is gone");
        assertTrue(Files.exists(plain) && Files.exists(second));
    }

    @Test
    void aVmmRunningAsAnotherUserBootsStagedCopiesItCanReach() throws Exception {
        Path exec = Files.createDirectories(dir.resolve("images/exec"));
        Path kernel = Files.write(exec.resolve("vmlinuz"), new byte[] {1});
        Files.write(exec.resolve("base.cpio.gz"), new byte[] {2, 3});
        Path code = Files.createDirectories(dir.resolve("cache/sha256-cd/code"));
        Files.writeString(code.resolve("handler.sh"), "#!/bin/sh\ncat\n");
        FunctionVersion version = new FunctionVersion(
                new FunctionSpec("hello", "exec", "handler.sh", Map.of(), null, null, 128L << 20, 1000, 1, 0, 5, 60, 10), "sha256:cd", code);
        var me = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        Path staging = dir.resolve("tmp/boot");
        VmImages images = new VmImages(dir.resolve("images"), VmImages.BZIMAGE, Optional.of(me), Optional.of(staging));

        VmImages.BaseImage base = images.base("exec");
        assertEquals(staging.resolve("exec/vmlinuz"), base.kernel(), "the image directory may be out of the VMM user's reach");
        assertEquals(Files.getLastModifiedTime(kernel).toMillis(), Files.getLastModifiedTime(base.kernel()).toMillis(),
                "same time stamp: same snapshot key");
        Files.setLastModifiedTime(base.kernel(), java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(kernel).toMillis()));
        java.nio.file.attribute.FileTime staged = Files.getLastModifiedTime(base.kernel());
        images.base("exec");
        assertEquals(staged, Files.getLastModifiedTime(base.kernel()), "not copied again while the source is unchanged");
        Path initrd = images.initrd(version, base, 32);
        assertEquals(staging.resolve("exec"), initrd.getParent());
        assertEquals(initrd, images.initrd(version, images.base("exec"), 32), "staged once");
    }
}
