package dev.skiff.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes executable /bin/sh scripts, as exec functions. */
final class TestFiles {
    private TestFiles() {
    }

    static Path script(Path dir, String name, String body) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
