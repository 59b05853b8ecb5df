package dev.skiff.store.storage.disk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** At most {@code remaining} bytes of a file channel from its position; closing it closes the channel. */
final class SliceInputStream extends InputStream {
    private final FileChannel channel;
    private long remaining;

    SliceInputStream(FileChannel channel, long remaining) {
        this.channel = channel;
        this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int read = channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, remaining)));
        if (read > 0) {
            remaining -= read;
        }
        return read;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
