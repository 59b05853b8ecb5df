package dev.skiff.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Configuration of a node agent. */
@ConfigMapping(prefix = "skiff.node-agent")
public interface AgentConfig {

    /** Stable id of this node in the scheduler. */
    @WithDefault("node-1")
    String nodeId();

    /** URL at which the gateway reaches this agent's API. */
    @WithDefault("http://127.0.0.1:8082")
    String advertisedUrl();

    /** Base URL of the scheduler, for registration and heartbeats. */
    @WithDefault("http://127.0.0.1:8081")
    String schedulerUrl();

    /** Base URL of the function store (an OCI registry) artefacts are pulled from. */
    @WithDefault("http://127.0.0.1:5000")
    String storeUrl();

    /** Token for pulling from the function store when it protects pulls; none: anonymous. */
    Optional<String> storeToken();

    /**
     * The largest answer an instance may give, in bytes: a longer one is cut off (the connection to
     * the instance reset) and the call answered 502, so no function, and no guest that replaced our
     * runtime glue, can make the agent hold more than this per call.
     */
    @WithDefault("67108864")
    long maxResponseBytes();

    /** Directory for the artefact cache and per-instance scratch space. */
    @WithDefault("data/node-agent")
    Path dataDir();

    /**
     * Instance driver: {@code process} (a child process per instance), {@code qemu} (a QEMU microVM
     * per instance) or {@code firecracker} (a Firecracker microVM per instance).
     */
    @WithDefault("process")
    String driver();

    /** How often the agent sends its heartbeat to the scheduler. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /** How often idle instances are looked for and killed. */
    @WithDefault("1s")
    Duration reaperInterval();

    /** An instance that has not reported ready after this long is killed and its calls answered 502. */
    @WithDefault("30s")
    Duration bootTimeout();

    /** Calls waiting for an instance, per function, beyond which calls are answered 429. */
    @WithDefault("100")
    int maxQueuedCalls();

    /**
     * The headroom rule: when calls in flight fill this share of a function's instance slots, one
     * more instance boots before the others are full. Above 1: only calls that wait boot instances.
     */
    @WithDefault("0.8")
    double headroom();

    /** Timeout of the agent's own calls to the scheduler and the store. */
    @WithDefault("5s")
    Duration controlPlaneTimeout();

    /** Capacity this node offers. */
    Capacity capacity();

    /** The memory of calls by id that makes a repeated async call run once. */
    Calls calls();

    /** Settings of the process driver. */
    ProcessDriverConfig process();

    /** Settings of the qemu driver. */
    QemuDriverConfig qemu();

    /** Settings of the firecracker driver. */
    FirecrackerDriverConfig firecracker();

    /** Capacity of this node. */
    interface Capacity {
        /**
         * vCPUs offered to instances' CPU limits; 0 means 16 per host processor: limits are
         * overcommitted, as in any FaaS, since most instances idle most of the time.
         */
        @WithDefault("0")
        int vcpus();

        /** Memory offered to instances, in bytes. */
        @WithDefault("8589934592")
        long memoryBytes();

        /** Instances this node runs at most. */
        @WithDefault("64")
        int instanceSlots();
    }

    /**
     * What the agent keeps of finished calls that came with a call id, so that a repeat of the
     * call (sent again by the gateway that took over from a dead one) gets the answer instead of
     * a second run. The oldest answers are forgotten first when a bound is reached.
     */
    interface Calls {
        /** How long a finished call's answer is kept; it must outlast the gateway's async ack wait. */
        @WithDefault("10m")
        Duration retention();

        /** Finished calls kept at most. */
        @WithDefault("4096")
        int maxEntries();

        /** Bytes of kept answers at most, bodies included. */
        @WithDefault("67108864")
        long maxBytes();

        /** Largest answer body kept; a larger one is kept as its status and headers only. */
        @WithDefault("1048576")
        long maxBodyBytes();
    }

    /** The process driver runs the runtime glue on a JVM as a child process per instance. */
    interface ProcessDriverConfig {
        /** The java executable for instances; by default the one running the agent. */
        Optional<String> javaCommand();

        /** The runtime glue jar; by default the copy packed inside the agent, extracted to the data dir. */
        Optional<Path> glueJar();
    }

    /** The qemu driver boots each instance as a QEMU microvm from a shared, immutable base image. */
    interface QemuDriverConfig {
        /** The QEMU system emulator (x86-64). */
        @WithDefault("qemu-system-x86_64")
        String binary();

        /** Base images, one directory per runtime ({@code exec/vmlinuz}, {@code exec/base.cpio.gz}); built by images/build-base-image.sh. */
        @WithDefault("images/out")
        Path imageDir();

        /** Accelerator: {@code auto} (KVM if a probe VM boots on it at start-up, else TCG), {@code kvm} or {@code tcg}. */
        @WithDefault("auto")
        String accel();

        /** TCG translation cache per VM, in MiB: QEMU's default (1 GiB) makes every VM hundreds of MiB resident. */
        @WithDefault("32")
        int tbSizeMb();

        /** Snapshot-restore cold starts: a version's first VM is saved once when ready; later ones are restored from it. */
        @WithDefault("true")
        boolean snapshots();

        /** How long the KVM probe waits for its guest's first words before falling back to TCG. */
        @WithDefault("5s")
        Duration probeTimeout();

        /** The user QEMU runs as when the agent runs as root ({@code root}: keep root, not advised). */
        @WithDefault("nobody")
        String runAs();

        /**
         * Whether guests may open outbound connections. Off (the default), a guest is reached only
         * through its forwarded port. On, QEMU's user networking also lets it reach every service on
         * the host's loopback (as 10.0.2.2): the agent's API, the other VMs' forwarded ports and, on
         * one host, the gateway, the store and NATS. Turn it on only where that is acceptable.
         */
        @WithDefault("false")
        boolean egress();
    }

    /**
     * The firecracker driver: each instance a Firecracker microVM configured over its REST API
     * (Firecracker 1.12 or later; not run in this repository's CI, which has no usable KVM).
     */
    interface FirecrackerDriverConfig {
        /** The Firecracker binary. */
        @WithDefault("firecracker")
        String binary();

        /** Base images, as for the qemu driver; Firecracker boots {@code <runtime>/vmlinux}, the uncompressed kernel images/build-base-image.sh extracts. */
        @WithDefault("images/out")
        Path imageDir();

        /** Prefix of the host's TAP devices: VM slot n uses {@code <prefix><n>} (created by the operator, see src-docs/drivers.md). */
        @WithDefault("skiff-tap")
        String tapPrefix();

        /** The IPv4 subnet cut into one /30 per TAP slot: slot n's host end is {@code .4n+1}, its guest {@code .4n+2}. */
        @WithDefault("172.20.0.0/24")
        String subnet();

        /** Snapshot-restore cold starts: a version's first VM is saved once when ready; later ones are restored from it. */
        @WithDefault("true")
        boolean snapshots();

        /** The user Firecracker runs as when the agent runs as root ({@code root}: keep root, not advised). */
        @WithDefault("nobody")
        String runAs();
    }
}
