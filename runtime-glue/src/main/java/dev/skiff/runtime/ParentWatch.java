package dev.skiff.runtime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Makes sure no instance, and no child of one, outlives what started it.
 *
 * <p>The agent keeps the write end of the instance's stdin open and never writes to it; when the
 * agent dies, even by SIGKILL, the kernel closes that end and stdin reaches its end. The watch then
 * kills the glue's child processes and halts at once (no shutdown hooks: nothing needs flushing).
 * A normal exit (SIGTERM, System.exit) kills the child processes from a shutdown hook.
 */
final class ParentWatch {
    private ParentWatch() {
    }

    /** Starts a daemon thread that runs {@code onEnd} once {@code stdin} reaches its end (or breaks). */
    static Thread watch(InputStream stdin, Runnable onEnd) {
        Thread watcher = new Thread(() -> {
            byte[] discard = new byte[256];
            try (stdin) {
                while (stdin.read(discard) >= 0) {
                    // nothing is expected on stdin; only its end matters
                }
            } catch (IOException e) {
                // a broken pipe means the same as an end
            }
            onEnd.run();
        }, "skiff-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }

    /** Watches the process' own stdin: at its end, children are killed and the JVM halts with status 0. */
    static void haltAtEndOf(InputStream stdin) {
        watch(stdin, () -> {
            killChildren();
            Runtime.getRuntime().halt(0);
        });
    }

    /** Kills the glue's child processes when the JVM shuts down normally. */
    static void killChildrenOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(ParentWatch::killChildren, "skiff-kill-children"));
    }

    /** Forcibly kills every descendant of this process. */
    static void killChildren() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
