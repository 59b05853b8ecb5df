package dev.skiff.common;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns off Quarkus' up-front URI check ({@code vertx.disableURIValidation}), so that a path with a
 * broken %-escape reaches the router, which refuses it with a 400 that {@link HttpEdge} words as
 * problem+json (or the OCI error format), instead of Quarkus' empty 400. Quarkus reads that system
 * property once, when its HTTP root handler is built, before any bean exists; a config source is
 * loaded earlier than that, in production and in tests alike, which is the only reason this is one.
 * It holds no configuration.
 */
public class RouterDecodesUris implements ConfigSource {
    static {
        System.setProperty("vertx.disableURIValidation", "true");
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public String getValue(String propertyName) {
        return null;
    }

    @Override
    public String getName() {
        return "skiff-router-decodes-uris";
    }

    @Override
    public int getOrdinal() {
        return 0;
    }
}
