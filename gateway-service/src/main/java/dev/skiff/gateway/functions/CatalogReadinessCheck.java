package dev.skiff.gateway.functions;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the function catalog has been loaded from the store: before that every call
 * is answered 503, so a restarted gateway must not be sent traffic (nor reported ready) yet.
 * Once loaded, the catalog lives in memory and the gateway stays ready while the store is away.
 */
@Readiness
@ApplicationScoped
public class CatalogReadinessCheck implements HealthCheck {
    private static final String NAME = "function catalog";
    private final FunctionCatalog catalog;

    CatalogReadinessCheck(FunctionCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        return catalog.loaded()
                ? HealthCheckResponse.named(NAME).up().withData("functions", catalog.size()).build()
                : HealthCheckResponse.named(NAME).down().withData("reason", "not loaded from the function store yet").build();
    }
}
