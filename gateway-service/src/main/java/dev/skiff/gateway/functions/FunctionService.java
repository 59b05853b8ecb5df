package dev.skiff.gateway.functions;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.NodeView;
import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.api.FunctionDeployment;
import dev.skiff.gateway.api.FunctionResources;
import dev.skiff.gateway.api.FunctionStatus;
import dev.skiff.gateway.metrics.GatewayMetrics;
import dev.skiff.gateway.routing.AgentClient;
import dev.skiff.gateway.routing.RoutingTable;
import dev.skiff.gateway.routing.SchedulerApi;
import dev.skiff.gateway.secrets.SecretService;
import dev.skiff.gateway.store.FunctionVersions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Deploys, updates, lists and removes functions. Blocking: resources call it on worker threads.
 * Deploys of one name are serialised; a deploy that fails leaves the previous version serving.
 */
@ApplicationScoped
public class FunctionService {
    private static final Logger LOG = Logger.getLogger(FunctionService.class);

    private final FunctionCatalog catalog;
    private final FunctionVersions versions;
    private final SpecFactory specs;
    private final RoutingTable routing;
    private final SchedulerApi scheduler;
    private final AgentClient agents;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final SecretService secrets;

    FunctionService(FunctionCatalog catalog, FunctionVersions versions, GatewayConfig config, RoutingTable routing,
            @RestClient SchedulerApi scheduler, AgentClient agents, GatewayMetrics metrics, SecretService secrets) {
        this.catalog = catalog;
        this.secrets = secrets;
        this.versions = versions;
        this.specs = new SpecFactory(config.defaults(), config.limits());
        this.routing = routing;
        this.scheduler = scheduler;
        this.agents = agents;
        this.metrics = metrics;
        this.config = config;
    }

    /** Deploys a new function; 409 when the name is taken. */
    public synchronized DeployedFunction deploy(FunctionDeployment deployment) {
        FunctionSpec spec = specs.toSpec(deployment);
        secrets.checkReferences(spec);
        catalog.ensureLoaded();
        if (catalog.find(spec.name()) != null) {
            throw GatewayException.alreadyExists(spec.name());
        }
        checkQuota(spec);
        return publish(spec, deployment.image());
    }

    /** Rolls out a new version of an existing function; 404 when there is none. */
    public synchronized DeployedFunction update(FunctionDeployment deployment) {
        FunctionSpec spec = specs.toSpec(deployment);
        secrets.checkReferences(spec);
        catalog.ensureLoaded();
        if (catalog.find(spec.name()) == null) {
            throw GatewayException.notFound(spec.name());
        }
        checkQuota(spec);
        return publish(spec, deployment.image());
    }

    /** What {@link #apply} did. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    /** The function as {@link #apply} left it, and what it did. */
    public record Applied(DeployedFunction function, Outcome outcome) {
    }

    /**
     * Declarative deploy, as a controller wants it: makes the function match the deployment. It
     * deploys it when absent, rolls out a new version when its spec or code image differ, and does
     * nothing when they match, so calling it again is harmless. The deployment carries an owner
     * annotation ({@code ownerKey}); a function of that name whose annotation differs (deployed
     * through the API, or by another owner) is left alone: 409.
     */
    public synchronized Applied apply(FunctionDeployment deployment, String ownerKey) {
        FunctionSpec spec = specs.toSpec(deployment);
        String owner = spec.annotations().get(ownerKey);
        catalog.ensureLoaded();
        DeployedFunction current = catalog.find(spec.name());
        if (current == null) {
            checkQuota(spec);
            secrets.checkReferences(spec);
            return new Applied(publish(spec, deployment.image()), Outcome.CREATED);
        }
        if (owner == null || !owner.equals(current.spec().annotations().get(ownerKey))) {
            throw GatewayException.conflict("function '" + spec.name() + "' exists and is not managed by " + owner
                    + (current.spec().annotations().containsKey(ownerKey)
                            ? " but by " + current.spec().annotations().get(ownerKey) : " (it was deployed through the API)"));
        }
        if (current.spec().equals(spec) && deployment.image().equals(current.image())) {
            return new Applied(current, Outcome.UNCHANGED);
        }
        checkQuota(spec);
        secrets.checkReferences(spec);
        return new Applied(publish(spec, deployment.image()), Outcome.UPDATED);
    }

    /**
     * A namespace runs at most {@code limits.max-instances-per-namespace} instances: the maxScale
     * of its functions, this one's new spec in place of its current one, may not add up to more.
     */
    private void checkQuota(FunctionSpec spec) {
        String namespace = dev.skiff.gateway.auth.Namespaces.of(spec);
        long others = catalog.all().stream().filter(f -> !f.name().equals(spec.name()))
                .filter(f -> dev.skiff.gateway.auth.Namespaces.of(f.spec()).equals(namespace))
                .mapToLong(f -> f.spec().maxScale()).sum();
        int quota = config.limits().maxInstancesPerNamespace();
        if (others + spec.maxScale() > quota) {
            throw GatewayException.quotaExceeded("labels[com.openfaas.scale.max]", "namespace " + namespace + " may run "
                    + quota + " instances; its other functions may run " + others + " and this one asks for up to "
                    + spec.maxScale());
        }
    }

    /**
     * Removes a function if it carries the owner annotation {@code ownerKey=owner}; a function of
     * that name with another owner, or none, stays. Returns whether one was removed.
     */
    public synchronized boolean deleteOwned(String name, String ownerKey, String owner) {
        catalog.ensureLoaded();
        DeployedFunction current = catalog.find(name);
        if (current == null) {
            return false;
        }
        if (!owner.equals(current.spec().annotations().get(ownerKey))) {
            LOG.infof("function %s is not managed by %s: left in place", name, owner);
            return false;
        }
        delete(name);
        return true;
    }

    /** Every version of a function, newest first; 404 when there is no such function. */
    public List<FunctionVersions.Version> versions(String name) {
        catalog.ensureLoaded();
        if (catalog.find(name) == null) {
            throw GatewayException.notFound(name);
        }
        return versions.versions(name);
    }

    /**
     * Makes an earlier version current again (the previous one, or {@code version}); calls go to it
     * at once. Within the namespace's quota, as a deploy: 403 and nothing changed when the version's
     * maxScale does not fit, 400 when a secret it names is gone.
     */
    public synchronized DeployedFunction rollback(String name, String version) {
        catalog.ensureLoaded();
        if (catalog.find(name) == null) {
            throw GatewayException.notFound(name);
        }
        DeployedFunction target = versions.rollbackTarget(name, version);
        checkQuota(target.spec());
        secrets.checkReferences(target.spec());   // the old version's secrets may be gone since
        DeployedFunction restored = versions.restore(target);
        catalog.put(restored);
        LOG.infof("function %s rolled back to %s", name, restored.digest());
        return restored;
    }

    /** Removes a function: its versions from the store, its instances from every node. */
    public synchronized void delete(String name) {
        catalog.ensureLoaded();
        if (catalog.find(name) == null) {
            throw GatewayException.notFound(name);
        }
        versions.delete(name);
        catalog.remove(name);
        stopOnNodes(name);
        LOG.infof("function %s removed", name);
    }

    /** Every function with its replica counts (from the scheduler's view) and invocation count. */
    public List<FunctionStatus> list() {
        catalog.ensureLoaded();
        Map<String, FunctionInstances> replicas = replicaCounts();
        return catalog.all().stream()
                .sorted(Comparator.comparing(DeployedFunction::name))
                .map(f -> status(f, replicas.get(f.name())))
                .toList();
    }

    /** One function's status, or null. */
    public FunctionStatus get(String name) {
        catalog.ensureLoaded();
        DeployedFunction function = catalog.find(name);
        return function == null ? null : status(function, replicaCounts().get(name));
    }

    /**
     * Provisioned concurrency (OpenFaaS' scale-function): {@code replicas} warm instances now on the
     * function's node, within maxScale. Returns how many it has or is booting.
     */
    public int scale(String name, int replicas) {
        catalog.ensureLoaded();
        DeployedFunction function = catalog.find(name);
        if (function == null) {
            throw GatewayException.notFound(name);
        }
        if (replicas == 0) {
            return 0;
        }
        try {
            return preBoot(function, replicas).await().atMost(config.controlPlaneTimeout().multipliedBy(2));
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            throw GatewayException.unavailable("node agent", e.getMessage());
        }
    }

    private DeployedFunction publish(FunctionSpec spec, String image) {
        DeployedFunction deployed = versions.push(spec, image);
        catalog.put(deployed);
        LOG.infof("function %s deployed as %s from %s", spec.name(), deployed.digest(), image);
        if (spec.minScale() > 0) {
            warmMinScale(deployed);
        }
        return deployed;
    }

    /**
     * Keeps every function's minScale over the nodes that are up: when a node goes down, its
     * functions' minimum instances are booted on the survivors (the scheduler places them).
     */
    @io.quarkus.scheduler.Scheduled(every = "${skiff.gateway.min-scale-check:5s}", delay = 5,
            delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void keepMinScale() {
        for (DeployedFunction function : catalog.all()) {
            int missing = function.spec().minScale() - routing.instancesOf(function.digest());
            if (missing > 0) {
                LOG.infof("function %s has %d instances of minScale %d: booting more", function.name(),
                        function.spec().minScale() - missing, function.spec().minScale());
                warmMinScale(function);
            }
        }
    }

    /** Asks the function's node (or the one the scheduler places it on) for {@code count} warm instances. */
    private io.smallrye.mutiny.Uni<Integer> preBoot(DeployedFunction function, int count) {
        return routing.route(function, java.util.Set.of()).chain(route -> agents
                .preBoot(route.url(), function.name(), function.digest(), count, config.controlPlaneTimeout())
                .onItemOrFailure().invoke(() -> routing.done(route)));
    }

    /** Best effort: the node keeps minScale from now on; a failure here only delays it to the first call. */
    private void warmMinScale(DeployedFunction function) {
        preBoot(function, function.spec().minScale())
                .subscribe().with(n -> LOG.infof("function %s: %d instances warm or booting", function.name(), n),
                        e -> LOG.warnf("function %s: minScale not warmed yet: %s", function.name(), e.toString()));
    }

    private Map<String, FunctionInstances> replicaCounts() {
        try {
            return scheduler.functions().await().atMost(config.controlPlaneTimeout()).stream()
                    .collect(Collectors.toMap(FunctionInstances::function, Function.identity()));
        } catch (RuntimeException e) {
            LOG.warnf("replica counts unavailable, scheduler did not answer: %s", e.toString());
            return Map.of();
        }
    }

    /** Best effort: nodes that miss this kill their instances after the idle timeout anyway. */
    private void stopOnNodes(String name) {
        try {
            for (NodeView node : scheduler.nodes().await().atMost(config.controlPlaneTimeout())) {
                if (node.up()) {
                    agents.stopFunction(node.url(), name, config.controlPlaneTimeout()).subscribe().with(
                            ok -> { }, e -> LOG.warnf("node %s did not stop %s: %s", node.nodeId(), name, e.toString()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not reach the scheduler to stop %s on nodes: %s", name, e.toString());
        }
    }

    private FunctionStatus status(DeployedFunction f, FunctionInstances counts) {
        FunctionSpec s = f.spec();
        FunctionResources limits = new FunctionResources((s.memoryBytes() >> 20) + "Mi", s.cpuMillis() + "m");
        return new FunctionStatus(s.name(), f.image(), dev.skiff.gateway.auth.Namespaces.of(s), FunctionSpec.RUNTIME_EXEC.equals(s.runtime()) ? s.handler() : null,
                s.env(), s.labels(), s.annotations(), limits, null,
                metrics.invocationCount(s.name()),
                counts == null ? 0 : counts.total(), counts == null ? 0 : counts.available(),
                f.createdAt(), s.runtime(), s.handler(), f.digest(), s.minScale(), s.maxScale(), s.concurrency(),
                s.idleTimeoutSeconds(), s.timeoutSeconds());
    }
}
