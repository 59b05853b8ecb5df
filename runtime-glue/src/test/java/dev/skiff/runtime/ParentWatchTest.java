package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {

    @Test
    void endOfStdinTriggersTheWatchAndNothingElseDoes() throws Exception {
        PipedOutputStream agentEnd = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(agentEnd);
        CountDownLatch ended = new CountDownLatch(1);
        Thread watcher = ParentWatch.watch(stdin, ended::countDown);
        assertTrue(watcher.isDaemon());
        agentEnd.write("stray bytes are ignored\n".getBytes());
        agentEnd.flush();
        assertFalse(ended.await(200, TimeUnit.MILLISECONDS));
        agentEnd.close();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
    }
}
