package dev.skiff.store.api;

import dev.skiff.store.StoreMetrics;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/** Marks every registry response with the API version, and counts it by operation and status. */
public class RegistryResponseFilter {
    private final StoreMetrics metrics;

    RegistryResponseFilter(StoreMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerResponseFilter
    public void decorate(ContainerResponseContext response, SimpleResourceInfo resource) {
        response.getHeaders().putSingle(RegistryHeaders.API_VERSION, RegistryHeaders.API_VERSION_VALUE);
        String operation = resource == null || resource.getMethodName() == null ? "unmatched" : resource.getMethodName();
        metrics.request(operation, response.getStatus());
    }
}
