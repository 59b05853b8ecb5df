package dev.skiff.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/** Packs compiled test classes (with their enclosing classes) into a jar, as a function's code. */
final class FunctionJar {
    private FunctionJar() {
    }

    static Path write(Path jar, Class<?>... classes) {
        Set<Class<?>> all = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
                all.add(k);
            }
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> c : all) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new ZipEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }
}
