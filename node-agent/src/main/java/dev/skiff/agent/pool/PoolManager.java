package dev.skiff.agent.pool;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.AgentException;
import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.InstanceDriver;
import dev.skiff.agent.driver.LaunchRequest;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.agent.metering.AgentMetrics;
import dev.skiff.agent.metering.InstanceMeter;
import dev.skiff.contracts.FunctionStats;
import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.InstanceView;
import dev.skiff.contracts.NodeCapacity;
import dev.skiff.secrets.FunctionSecrets;
import dev.skiff.secrets.SecretException;
import dev.skiff.secrets.SecretStore;
import dev.skiff.secrets.SecretStoreException;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Owns the warm pools of this node and carries out what they decide: boots instances through the
 * driver, kills them, completes waiting calls, and reaps idle instances on a timer.
 */
@ApplicationScoped
public class PoolManager {
    private static final Logger LOG = Logger.getLogger(PoolManager.class);

    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    private final NodeBudget budget;
    private final InstanceDriver driver;
    private final KeepAlivePolicy keepAlive;
    private final AgentMetrics metrics;
    private final InstanceMeter meter;
    private final LeftoverInstances leftovers;
    private final AgentConfig config;
    private final Clock clock;
    private final SecretStore secrets;
    private final ExecutorService bootExecutor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "instance-boot");
        thread.setDaemon(true);
        return thread;
    });

    PoolManager(InstanceDriver driver, KeepAlivePolicy keepAlive, AgentMetrics metrics, InstanceMeter meter,
            LeftoverInstances leftovers, AgentConfig config, Clock clock, SecretStore secrets) {
        this.leftovers = leftovers;
        this.secrets = secrets;
        this.budget = new NodeBudget(config.capacity().instanceSlots(), config.capacity().memoryBytes(),
                vcpus(config) * 1000L);
        this.driver = driver;
        this.keepAlive = keepAlive;
        this.metrics = metrics;
        this.meter = meter;
        this.config = config;
        this.clock = clock;
        metrics.registerNode(new NodeCapacity(vcpus(config), config.capacity().memoryBytes(),
                config.capacity().instanceSlots()), budget::reserved);
    }

    /**
     * A slot on an instance of this version: at once when one is warm, else after a boot, waiting
     * at most {@code maxWait}. Cold and warm starts are counted here.
     */
    public Uni<Lease> acquire(FunctionVersion version, Duration maxWait) {
        FunctionPool pool = pool(version);
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> lease = pool.acquire(effects);
        apply(pool, effects);
        return Uni.createFrom().completionStage(lease)
                .ifNoItem().after(maxWait).recoverWithUni(() -> pool.abandon(lease) || lease.isCancelled()
                        ? Uni.createFrom().failure(AgentException.timedOut(version.name(),
                                "no instance became available within " + maxWait.toSeconds() + "s"))
                        : Uni.createFrom().completionStage(lease))
                .invoke(l -> metrics.started(version.name(), l.cold()));
    }

    /**
     * Provisioned concurrency: boots instances of this version until it has {@code count}
     * (capped by maxScale). Returns how many it has or is booting.
     */
    public int preBoot(FunctionVersion version, int count) {
        FunctionPool pool = pool(version);
        PoolEffects effects = new PoolEffects();
        int instances = pool.ensureInstances(count, effects);
        apply(pool, effects);
        return instances;
    }

    /** Ends a call's hold on its instance. */
    public void release(Lease lease) {
        FunctionPool pool = pools.get(lease.instance().version().digest());
        if (pool != null) {
            PoolEffects effects = new PoolEffects();
            pool.release(lease, effects);
            apply(pool, effects);
        }
    }

    /** Removes and kills an instance that hung or broke while serving a call. */
    public void discard(Instance instance, String reason) {
        LOG.infof("function %s instance %s discarded: %s", instance.version().name(), instance.id(), reason);
        FunctionPool pool = pools.get(instance.version().digest());
        if (pool != null) {
            PoolEffects effects = new PoolEffects();
            pool.remove(instance, effects);
            apply(pool, effects);
        }
    }

    /** Kills every instance of a function (all versions). Returns how many were stopped. */
    public int stopFunction(String function) {
        int stopped = 0;
        for (FunctionPool pool : pools.values()) {
            if (pool.version().name().equals(function)) {
                PoolEffects effects = new PoolEffects();
                pool.stopAll(AgentException.noInstance(function, "the function was removed"), effects);
                stopped += effects.toKill().size();
                apply(pool, effects);
                pools.remove(pool.version().digest(), pool);
            }
        }
        return stopped;
    }

    /**
     * The pools' clock tick: meters the instances, keeps minScale instances, kills idle instances
     * kept past their keep-alive, and forgets retired versions once they have no instance left.
     */
    @Scheduled(every = "${skiff.node-agent.reaper-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        for (FunctionPool pool : pools.values()) {
            meter.sample(pool.instances());
            PoolEffects effects = new PoolEffects();
            pool.maintain(effects);
            pool.reap(keepAlive, effects);
            effects.toKill().forEach(i -> metrics.reaped(i.version().name()));
            apply(pool, effects);
            if (pool.retired() && pool.isIdle()) {
                pools.remove(pool.version().digest(), pool);
            }
        }
    }

    public List<FunctionInstances> counts() {
        return pools.values().stream().map(FunctionPool::counts).filter(c -> c.total() > 0).toList();
    }

    /** vCPUs this node offers instances: configured, or 16 per host processor (limits are overcommitted). */
    public static int vcpus(AgentConfig config) {
        return config.capacity().vcpus() > 0 ? config.capacity().vcpus() : Runtime.getRuntime().availableProcessors() * 16;
    }

    /** What instances hold of this node's memory and CPU. */
    public dev.skiff.contracts.Heartbeat.Reserved reserved() {
        return budget.reserved();
    }

    /** Per function: instances by state, init and execution times, starts, resources used. */
    public List<FunctionStats> stats() {
        return metrics.stats(this::countsOf);
    }

    /** Instance counts of a function summed over its versions. */
    private FunctionInstances countsOf(String function) {
        int booting = 0;
        int ready = 0;
        int busy = 0;
        for (FunctionPool pool : pools.values()) {
            if (pool.version().name().equals(function)) {
                FunctionInstances c = pool.counts();
                booting += c.booting();
                ready += c.ready();
                busy += c.busy();
            }
        }
        return new FunctionInstances(function, null, booting, ready, busy);
    }

    public List<InstanceView> instances() {
        return pools.values().stream().flatMap(p -> p.views().stream())
                .sorted(Comparator.comparing(InstanceView::function).thenComparing(InstanceView::startedAt)).toList();
    }

    public Collection<FunctionPool> pools() {
        return pools.values();
    }

    @PreDestroy
    void stopAll() {
        for (FunctionPool pool : pools.values()) {
            PoolEffects effects = new PoolEffects();
            pool.stopAll(AgentException.noInstance(pool.version().name(), "the node agent is stopping"), effects);
            effects.completeCalls();
            effects.toKill().forEach(this::kill);
        }
        bootExecutor.shutdownNow();
    }

    /**
     * The pool of a version; the first call of a version retires the function's other versions'
     * pools (a new version rolled out, or an old one rolled back to).
     */
    private FunctionPool pool(FunctionVersion version) {
        FunctionPool existing = pools.get(version.digest());
        if (existing != null && !existing.retired()) {
            return existing;
        }
        FunctionPool created = existing != null ? existing : pools.computeIfAbsent(version.digest(), d -> newPool(version));
        if (created.retired()) {
            LOG.infof("function %s version %s is current again (rolled back)", version.name(), version.digest());
            created.reinstate();
        }
        for (FunctionPool other : pools.values()) {
            if (other != created && other.version().name().equals(version.name()) && !other.retired()) {
                LOG.infof("function %s version %s retired by %s", version.name(), other.version().digest(), version.digest());
                other.retire();
            }
        }
        return created;
    }

    private FunctionPool newPool(FunctionVersion version) {
        FunctionPool pool = new FunctionPool(version, config.maxQueuedCalls(), config.headroom(), budget, clock,
                () -> newInstanceId(version));
        String function = version.name();
        metrics.registerFunction(function, () -> countsOf(function),
                () -> pools.values().stream().filter(p -> p.version().name().equals(function)).mapToInt(FunctionPool::queued).sum());
        return pool;
    }

    /** Carries out a pool's decisions; process work (kills, boots) goes to a worker, never the caller's event loop. */
    private void apply(FunctionPool pool, PoolEffects effects) {
        effects.completeCalls().forEach(this::release);
        effects.toKill().forEach(instance -> bootExecutor.execute(() -> kill(instance)));
        effects.toBoot().forEach(instance -> bootExecutor.execute(() -> boot(pool, instance)));
    }

    /** The boot chain of one instance: prepareScratch() -> readSecrets() -> start() -> awaitReady() -> register(). */
    private void boot(FunctionPool pool, Instance instance) {
        long begin = System.nanoTime();
        RunningInstance running;
        try {
            Path scratch = prepareScratch(instance);
            FunctionSecrets material = readSecrets(instance.version());
            running = driver.start(new LaunchRequest(instance.id(), instance.version(), scratch, material));
        } catch (RuntimeException | IOException e) {
            LOG.warnf("function %s instance %s failed to start: %s", instance.version().name(), instance.id(), e.getMessage());
            deleteScratch(instance);   // it may hold the instance's secret files
            bootFailed(pool, instance, e.getMessage());
            return;
        }
        if (!pool.attach(instance, running)) {
            running.kill();
            running.exited().whenComplete((v, e) -> deleteScratch(instance));
            return;
        }
        leftovers.record(instance.id(), running.pid());
        running.exited().whenComplete((v, e) -> onExit(pool, instance));
        running.ready().orTimeout(config.bootTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((endpoint, error) -> {
            if (error != null) {
                String reason = error instanceof java.util.concurrent.TimeoutException
                        ? "not ready after " + config.bootTimeout().toSeconds() + "s"
                        : rootMessage(error);
                LOG.warnf("function %s instance %s failed to boot: %s", instance.version().name(), instance.id(), reason);
                bootFailed(pool, instance, reason);
                return;
            }
            metrics.booted(instance.version().name(), Duration.ofNanos(System.nanoTime() - begin));
            LOG.infof("function %s instance %s ready on port %d in %d ms", instance.version().name(), instance.id(),
                    endpoint.port(), (System.nanoTime() - begin) / 1_000_000);
            PoolEffects effects = new PoolEffects();
            pool.ready(instance, endpoint, effects);
            apply(pool, effects);
        });
    }

    /**
     * The secrets the version names, read from the store for each instance, so that a changed secret
     * reaches every instance started after the change. A missing one fails the boot, naming it.
     */
    private FunctionSecrets readSecrets(FunctionVersion version) {
        if (version.spec().secrets().isEmpty() && version.spec().secretEnv().isEmpty()) {
            return FunctionSecrets.NONE;
        }
        try {
            FunctionSecrets material = FunctionSecrets.resolve(version.spec(), secrets);
            metrics.secretsRead(version.name(), "ok");
            return material;
        } catch (SecretException e) {
            metrics.secretsRead(version.name(), "missing");
            throw e;
        } catch (SecretStoreException e) {
            metrics.secretsRead(version.name(), "unavailable");
            throw new SecretException("the secret store is unavailable: " + e.getMessage());
        }
    }

    /** A private, writable directory for the instance; the code directory stays read-only. */
    private Path prepareScratch(Instance instance) throws IOException {
        return Files.createDirectories(config.dataDir().resolve("instances").resolve(instance.id()));
    }

    private void bootFailed(FunctionPool pool, Instance instance, String reason) {
        PoolEffects effects = new PoolEffects();
        pool.bootFailed(instance, reason, effects);
        apply(pool, effects);
    }

    private void onExit(FunctionPool pool, Instance instance) {
        meter.gone(instance);
        PoolEffects effects = new PoolEffects();
        pool.remove(instance, effects);
        apply(pool, effects);
        deleteScratch(instance);
    }

    private void kill(Instance instance) {
        RunningInstance running = instance.running();
        if (running != null) {
            meter.stopping(instance);
            running.kill();
        }
    }

    /** Deletes the instance's scratch directory, its secret files with it. */
    private void deleteScratch(Instance instance) {
        leftovers.forget(instance.id());
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static String newInstanceId(FunctionVersion version) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return version.name() + "-" + HexFormat.of().formatHex(random);
    }
}
