package dev.skiff.agent.pool;

import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.Endpoint;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.contracts.InstanceView;
import java.time.Instant;

/**
 * One instance of one function version. Mutable, but only ever changed by its {@link FunctionPool}
 * under the pool's lock.
 */
public final class Instance {
    private final String id;
    private final FunctionVersion version;
    private final Instant startedAt;
    private InstanceState state = InstanceState.BOOTING;
    private volatile RunningInstance running;
    private Endpoint endpoint;
    private int activeCalls;
    private long invocations;
    private Instant lastUsedAt;

    Instance(String id, FunctionVersion version, Instant startedAt) {
        this.id = id;
        this.version = version;
        this.startedAt = startedAt;
        this.lastUsedAt = startedAt;
    }

    public String id() {
        return id;
    }

    public FunctionVersion version() {
        return version;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    InstanceState state() {
        return state;
    }

    RunningInstance running() {
        return running;
    }

    int activeCalls() {
        return activeCalls;
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The instance's OS process (the VMM for VM drivers), or -1 before it is started. */
    public long pid() {
        RunningInstance r = running;
        return r == null ? -1 : r.pid();
    }

    void attach(RunningInstance running) {
        this.running = running;
    }

    void ready(Endpoint endpoint, Instant now) {
        this.endpoint = endpoint;
        this.state = InstanceState.READY;
        this.lastUsedAt = now;
    }

    boolean hasFreeSlot() {
        return (state == InstanceState.READY || state == InstanceState.BUSY)
                && activeCalls < version.spec().concurrency();
    }

    void callStarted() {
        activeCalls++;
        state = InstanceState.BUSY;
    }

    void callEnded(Instant now) {
        activeCalls--;
        invocations++;
        lastUsedAt = now;
        if (activeCalls == 0 && state == InstanceState.BUSY) {
            state = InstanceState.READY;
        }
    }

    void stopped() {
        state = InstanceState.STOPPED;
    }

    InstanceView view() {
        return new InstanceView(id, version.name(), version.digest(), state.name(), activeCalls, invocations,
                startedAt, lastUsedAt, running == null ? -1 : running.pid(), endpoint == null ? 0 : endpoint.port());
    }
}
