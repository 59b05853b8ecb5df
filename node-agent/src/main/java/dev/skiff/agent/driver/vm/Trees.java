package dev.skiff.agent.driver.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Deletes directory trees the VM drivers leave: control directories, snapshot entries. */
public final class Trees {
    private static final Logger LOG = Logger.getLogger(Trees.class);

    private Trees() {
    }

    /** Deletes a file or a directory and everything below it; what cannot be deleted is logged and left. */
    public static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", path, e.getMessage());
        }
    }
}
