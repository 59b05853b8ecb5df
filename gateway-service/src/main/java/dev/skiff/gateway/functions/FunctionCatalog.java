package dev.skiff.gateway.functions;

import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.store.FunctionVersions;
import dev.skiff.oci.RegistryException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The deployed functions, read from the function store (the source of truth) once, then kept in
 * memory so the invocation path never waits on the store. Until the first load succeeds (the
 * store may start after the gateway) the catalog retries in the background and answers 503.
 */
@ApplicationScoped
public class FunctionCatalog {
    private static final Logger LOG = Logger.getLogger(FunctionCatalog.class);

    private final FunctionVersions versions;
    private final Map<String, DeployedFunction> functions = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    FunctionCatalog(FunctionVersions versions) {
        this.versions = versions;
    }

    /** Tries to load the catalog until it has succeeded once. */
    @Scheduled(every = "2s", delay = 0, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void loadInBackground() {
        if (!loaded) {
            try {
                ensureLoaded();
            } catch (GatewayException e) {
                LOG.debugf("function catalog not loaded yet: %s", e.getMessage());
            }
        }
    }

    /** Loads the catalog from the store if it was not loaded yet. Blocking. */
    public synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        try {
            List<DeployedFunction> all = versions.loadAll();
            all.forEach(f -> functions.putIfAbsent(f.name(), f));
            loaded = true;
            LOG.infof("function catalog loaded from the store: %d functions", all.size());
        } catch (RegistryException e) {
            throw GatewayException.unavailable("function store", e.getMessage());
        }
    }

    /** Whether the catalog was loaded from the store: until then every call would be answered 503. */
    public boolean loaded() {
        return loaded;
    }

    /** The function, or null when there is none by that name. Never blocks. */
    public DeployedFunction find(String name) {
        if (!loaded) {
            throw GatewayException.unavailable("function catalog", "still loading from the function store");
        }
        return functions.get(name);
    }

    public void put(DeployedFunction function) {
        functions.put(function.name(), function);
    }

    public void remove(String name) {
        functions.remove(name);
    }

    public Collection<DeployedFunction> all() {
        return List.copyOf(functions.values());
    }

    public int size() {
        return functions.size();
    }
}
