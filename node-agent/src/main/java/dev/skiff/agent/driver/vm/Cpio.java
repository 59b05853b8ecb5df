package dev.skiff.agent.driver.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a cpio archive in the "newc" format, the one Linux unpacks as an initramfs. Entries are
 * owned by root, dated 0 (archives of the same content are byte-identical).
 */
final class Cpio {
    static final int DIRECTORY = 0040000;
    static final int FILE = 0100000;
    private static final String TRAILER = "TRAILER!!!";

    /** One archive member: a path without a leading slash, its type and permission bits, its bytes. */
    record Entry(String name, int mode, byte[] data) {
        static Entry directory(String name) {
            return directory(name, 0755);
        }

        static Entry directory(String name, int permissions) {
            return new Entry(name, DIRECTORY | (permissions & 0777), new byte[0]);
        }

        static Entry file(String name, int permissions, byte[] data) {
            return new Entry(name, FILE | (permissions & 0777), data);
        }
    }

    private Cpio() {
    }

    static void write(List<Entry> entries, OutputStream out) throws IOException {
        int ino = 1;
        long offset = 0;
        for (Entry entry : entries) {
            offset = member(out, offset, ino++, entry.name(), entry.mode(), entry.data());
        }
        member(out, offset, 0, TRAILER, 0, new byte[0]);
    }

    private static long member(OutputStream out, long offset, int ino, String name, int mode, byte[] data) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder("070701");
        for (long field : new long[] {ino, mode, 0, 0, (mode & DIRECTORY) != 0 ? 2 : 1, 0, data.length, 0, 0, 0, 0,
                nameBytes.length, 0}) {
            header.append(String.format("%08x", field));
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(headerBytes);
        out.write(nameBytes);
        offset += headerBytes.length + nameBytes.length;
        offset = pad(out, offset);
        out.write(data);
        return pad(out, offset + data.length);
    }

    /** Members start and data start on 4-byte boundaries. */
    private static long pad(OutputStream out, long offset) throws IOException {
        while (offset % 4 != 0) {
            out.write(0);
            offset++;
        }
        return offset;
    }
}
