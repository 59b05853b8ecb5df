package dev.skiff.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the gateway. */
@ConfigMapping(prefix = "skiff.gateway")
public interface GatewayConfig {

    /** Base URL of the function store (an OCI registry). */
    @WithDefault("http://127.0.0.1:5000")
    String storeUrl();

    /** Token the gateway pushes to (and reads from) the function store with; none: anonymous. */
    Optional<String> storeToken();

    /** Base URL of the scheduler. */
    @WithDefault("http://127.0.0.1:8081")
    String schedulerUrl();

    /** Timeout of calls to the store and the scheduler. */
    @WithDefault("5s")
    Duration controlPlaneTimeout();

    /** Largest code upload accepted, in bytes (also bounded by quarkus.http.limits.max-body-size). */
    @WithDefault("67108864")
    long maxCodeBytes();

    /** Defaults for what a deployment does not say. */
    Defaults defaults();

    /** Hard limits no deployment may exceed. */
    Limits limits();

    /** The Kubernetes side of the gateway. */
    Kubernetes kubernetes();

    /** What a function gets when its deployment is silent. */
    interface Defaults {
        /** Memory of one instance, in bytes. */
        @WithDefault("134217728")
        long memoryBytes();

        /** CPU of one instance, in thousandths of a vCPU. */
        @WithDefault("1000")
        int cpuMillis();

        /** Calls one instance serves at once. */
        @WithDefault("1")
        int concurrency();

        /** Instances kept warm at all times (0: scale to zero, boots are cheap). */
        @WithDefault("0")
        int minScale();

        /** Instances never exceeded. */
        @WithDefault("20")
        int maxScale();

        /** Seconds an idle instance lives. */
        @WithDefault("120")
        int idleTimeoutSeconds();

        /** Seconds a call may run. */
        @WithDefault("30")
        int timeoutSeconds();
    }

    /** Platform caps. */
    interface Limits {
        /** Longest call timeout a function may ask for, in seconds. */
        @WithDefault("300")
        int maxTimeoutSeconds();

        /** Largest maxScale a function may ask for. */
        @WithDefault("1000")
        int maxScale();

        /**
         * Instances a namespace may run at most: the maxScale of all its functions together may not
         * exceed it (a deploy or update that would is 403).
         */
        @WithDefault("2000")
        int maxInstancesPerNamespace();
    }

    /** What the gateway does on Kubernetes. */
    interface Kubernetes {
        /** The controller of Function resources ({@code functions.skiff.dev}). */
        Controller controller();
    }

    /** The Function controller: reconciles Function resources into the platform and writes their status back. */
    interface Controller {
        /** Whether the controller runs; off by default, so the gateway needs no cluster. */
        @WithDefault("false")
        boolean enabled();

        /** Namespace whose Functions are reconciled; {@code *}: every namespace; none: the client's namespace. */
        Optional<String> namespace();

        /** How often every Function is reconciled again even without a change (status refresh, drift repair). */
        @WithDefault("60s")
        Duration resync();

        /** First delay before a failed reconcile is tried again; doubled at each failure in a row. */
        @WithDefault("1s")
        Duration retryInitialDelay();

        /** Longest delay between tries of a failing reconcile. */
        @WithDefault("60s")
        Duration retryMaxDelay();
    }
}
