package dev.skiff.gateway.store;

import dev.skiff.gateway.GatewayConfig;
import dev.skiff.oci.RegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The OCI client of the function store. */
public class StoreClientProducer {
    @Produces
    @ApplicationScoped
    RegistryClient storeClient(GatewayConfig config) {
        return new RegistryClient(config.storeUrl(), config.controlPlaneTimeout(), config.storeToken().orElse(null));
    }
}
