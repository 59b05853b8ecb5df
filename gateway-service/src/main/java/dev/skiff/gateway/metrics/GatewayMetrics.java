package dev.skiff.gateway.metrics;

import dev.skiff.gateway.functions.FunctionCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Metric names of the gateway, and the one place that records them: Skiff's own names and
 * OpenFaaS' names for the same things, so existing OpenFaaS dashboards work.
 */
@Startup
@ApplicationScoped
public class GatewayMetrics {
    /** Counter {@code skiff_gateway_invocations_total{function,code}}. */
    public static final String INVOCATIONS = "skiff.gateway.invocations";
    /** Histogram {@code skiff_gateway_invocation_seconds{function}}: the whole call as the gateway sees it. */
    public static final String INVOCATION_SECONDS = "skiff.gateway.invocation";
    /** OpenFaaS: {@code gateway_function_invocation_total{function_name,code}}. */
    public static final String OPENFAAS_INVOCATIONS = "gateway.function.invocation";
    /** OpenFaaS: {@code gateway_functions_seconds{function_name}}. */
    public static final String OPENFAAS_SECONDS = "gateway.functions";
    /** OpenFaaS: {@code gateway_service_count}: deployed functions. */
    public static final String OPENFAAS_SERVICE_COUNT = "gateway.service.count";
    /** Counter {@code skiff_controller_reconciles_total{result}}: reconciles of Function resources by outcome. */
    public static final String CONTROLLER_RECONCILES = "skiff.controller.reconciles";
    /** Outcomes of a reconcile: the resource's wish is met (or it was removed), its spec is refused, or it failed and is retried. */
    public static final java.util.List<String> RECONCILE_RESULTS = java.util.List.of("success", "invalid", "error");
    public static final String TAG_RESULT = "result";
    public static final String TAG_FUNCTION = "function";
    public static final String TAG_CODE = "code";
    public static final String TAG_OPENFAAS_FUNCTION = "function_name";

    private final MeterRegistry meters;

    GatewayMetrics(MeterRegistry meters, FunctionCatalog catalog) {
        this.meters = meters;
        Gauge.builder(OPENFAAS_SERVICE_COUNT, catalog, FunctionCatalog::size).register(meters);
    }

    public void invoked(String function, int code, Duration took) {
        String status = Integer.toString(code);
        meters.counter(INVOCATIONS, TAG_FUNCTION, function, TAG_CODE, status).increment();
        meters.counter(OPENFAAS_INVOCATIONS, TAG_OPENFAAS_FUNCTION, function, TAG_CODE, status).increment();
        Timer.builder(INVOCATION_SECONDS).tag(TAG_FUNCTION, function).publishPercentileHistogram().register(meters).record(took);
        Timer.builder(OPENFAAS_SECONDS).tag(TAG_OPENFAAS_FUNCTION, function).publishPercentileHistogram().register(meters).record(took);
    }

    /** Counts one reconcile of a Function resource; {@code result} is one of {@link #RECONCILE_RESULTS}. */
    public void reconciled(String result) {
        meters.counter(CONTROLLER_RECONCILES, TAG_RESULT, result).increment();
    }

    /** Registers the reconcile counters at zero, so that a dashboard sees every result from the start. */
    public void controllerStarted() {
        RECONCILE_RESULTS.forEach(result -> meters.counter(CONTROLLER_RECONCILES, TAG_RESULT, result));
    }

    /** Calls of a function answered so far, whatever their status. */
    public long invocationCount(String function) {
        return (long) meters.find(INVOCATIONS).tag(TAG_FUNCTION, function).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
