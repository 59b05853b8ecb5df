package dev.skiff.store.health;

import dev.skiff.store.storage.disk.DiskLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the data directory takes writes: a store that cannot write cannot accept pushes. */
@Readiness
@ApplicationScoped
public class DataDirReadinessCheck implements HealthCheck {
    private static final String NAME = "function-store data directory";
    private final DiskLayout layout;

    DataDirReadinessCheck(DiskLayout layout) {
        this.layout = layout;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            Path probe = Files.createTempFile(layout.tmp(), "ready-", ".probe");
            Files.delete(probe);
            return HealthCheckResponse.named(NAME).up().withData("path", layout.root().toString()).build();
        } catch (IOException | RuntimeException e) {
            return HealthCheckResponse.named(NAME).down().withData("path", layout.root().toString())
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
