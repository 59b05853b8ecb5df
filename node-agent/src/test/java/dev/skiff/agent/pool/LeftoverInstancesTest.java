package dev.skiff.agent.pool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverInstancesTest {
    @TempDir
    Path root;

    @Test
    void instancesOfThePreviousRunAreKilledAndTheirDirectoriesRemoved() throws Exception {
        Process leftover = new ProcessBuilder("sleep", "60").start();
        try {
            Files.createDirectories(root.resolve("hello-1"));
            new LeftoverInstances(root).record("hello-1", leftover.pid());

            new LeftoverInstances(root).onStart(null);

            await().atMost(Duration.ofSeconds(5)).until(() -> !leftover.isAlive());
            assertFalse(Files.exists(root.resolve("hello-1")));
        } finally {
            leftover.destroyForcibly();
        }
    }

    @Test
    void aReusedPidIsNotKilled() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Path dir = Files.createDirectories(root.resolve("hello-2"));
            Files.writeString(dir.resolve("instance.pid"), unrelated.pid() + " 2001-01-01T00:00:00Z\n");

            new LeftoverInstances(root).onStart(null);

            assertTrue(unrelated.isAlive(), "same pid, another start time: another process");
            assertFalse(Files.exists(dir));
        } finally {
            unrelated.destroyForcibly();
        }
    }
}
