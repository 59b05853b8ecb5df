package dev.skiff.gateway.functions;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.api.FunctionDeployment;
import dev.skiff.gateway.api.FunctionResources;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Builds a function spec from a deployment: a pure function, the place where defaults and
 * platform caps are applied and where checks that span fields are made (400 naming the field).
 */
public final class SpecFactory {
    /** OpenFaaS' label for the minimum number of replicas. */
    public static final String SCALE_MIN = "com.openfaas.scale.min";
    /** OpenFaaS' label for the maximum number of replicas. */
    public static final String SCALE_MAX = "com.openfaas.scale.max";

    private final GatewayConfig.Defaults defaults;
    private final GatewayConfig.Limits limits;

    public SpecFactory(GatewayConfig.Defaults defaults, GatewayConfig.Limits limits) {
        this.defaults = defaults;
        this.limits = limits;
    }

    public FunctionSpec toSpec(FunctionDeployment d) {
        Map<String, String> labels = d.labels() == null ? Map.of() : d.labels();
        int minScale = scale(labels, SCALE_MIN, defaults.minScale());
        int maxScale = scale(labels, SCALE_MAX, Math.max(defaults.maxScale(), minScale));
        if (maxScale < 1 || maxScale > limits.maxScale()) {
            throw GatewayException.invalid("labels[" + SCALE_MAX + "]", "must be between 1 and " + limits.maxScale());
        }
        if (minScale > maxScale) {
            throw GatewayException.invalid("labels[" + SCALE_MIN + "]", "must not exceed " + SCALE_MAX + " (" + maxScale + ")");
        }
        int timeout = d.timeoutSeconds() == null ? defaults.timeoutSeconds() : d.timeoutSeconds();
        if (timeout > limits.maxTimeoutSeconds()) {
            throw GatewayException.invalid("timeoutSeconds", "must be at most " + limits.maxTimeoutSeconds());
        }
        FunctionResources limit = d.limits();
        long memory = limit == null || limit.memory() == null ? defaults.memoryBytes() : memoryBytes(limit.memory(), "limits.memory");
        int cpu = limit == null || limit.cpu() == null ? defaults.cpuMillis() : cpuMillis(limit.cpu(), "limits.cpu");
        Map<String, String> secretEnv = d.secretEnvVars() == null ? Map.of() : d.secretEnvVars();
        for (String name : secretEnv.keySet()) {
            if (d.envVars() != null && d.envVars().containsKey(name)) {
                throw GatewayException.invalid("secretEnvVars[" + name + "]", "is also in envVars; a variable takes its value from one place");
            }
        }
        List<String> secrets = d.secrets() == null ? List.of() : d.secrets();
        if (secrets.stream().distinct().count() < secrets.size()) {
            throw GatewayException.invalid("secrets", "names a secret twice");
        }
        return new FunctionSpec(d.service(), d.runtime(), handler(d), d.envVars(), labels, d.annotations(),
                memory, cpu,
                d.concurrency() == null ? defaults.concurrency() : d.concurrency(),
                minScale, maxScale,
                d.idleTimeoutSeconds() == null ? defaults.idleTimeoutSeconds() : d.idleTimeoutSeconds(),
                timeout, secrets, secretEnv);
    }

    private static String handler(FunctionDeployment d) {
        String handler = d.handler() != null ? d.handler() : d.envProcess();
        if (handler == null) {
            throw GatewayException.invalid("handler", FunctionSpec.RUNTIME_JAVA.equals(d.runtime())
                    ? "the java runtime needs the handler class (e.g. com.example.Hello)"
                    : "the exec runtime needs the executable's file name (handler or envProcess)");
        }
        if (FunctionSpec.RUNTIME_EXEC.equals(d.runtime()) && (handler.contains("/") || handler.startsWith("."))) {
            throw GatewayException.invalid(d.handler() != null ? "handler" : "envProcess",
                    "must name a file of the uploaded code, without a directory");
        }
        return handler;
    }

    private static int scale(Map<String, String> labels, String key, int fallback) {
        String value = labels.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            // ASCII digits only: Integer.parseInt also reads other scripts' digits ("\u0663" is 3)
            if (!value.strip().matches("[0-9]{1,9}")) {
                throw new NumberFormatException();
            }
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw GatewayException.invalid("labels[" + key + "]", "must be a non-negative integer, got '" + value + "'");
        }
    }

    /** Bytes of a Kubernetes memory quantity ({@code 128Mi}, {@code 1G}, {@code 1048576}); at least 16 MiB. */
    static long memoryBytes(String quantity, String field) {
        int split = 0;
        while (split < quantity.length() && Character.isDigit(quantity.charAt(split))) {
            split++;
        }
        long number = Long.parseLong(quantity.substring(0, split));
        long unit = switch (quantity.substring(split)) {
            case "" -> 1L;
            case "k", "K" -> 1000L;
            case "M" -> 1000L * 1000;
            case "G" -> 1000L * 1000 * 1000;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            default -> throw GatewayException.invalid(field, "unknown unit in '" + quantity + "'");
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(number, unit);
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;   // so large it wrapped around: refused below, never read as a small size
        }
        if (bytes < (16L << 20) || bytes > (64L << 30)) {
            throw GatewayException.invalid(field, "must be between 16Mi and 64Gi, got '" + quantity + "'");
        }
        return bytes;
    }

    /** Thousandths of a vCPU of a Kubernetes CPU quantity ({@code 500m}, {@code 1}, {@code 0.5}). */
    static int cpuMillis(String quantity, String field) {
        BigDecimal millis = quantity.endsWith("m")
                ? new BigDecimal(quantity.substring(0, quantity.length() - 1))
                : new BigDecimal(quantity).movePointRight(3);
        if (millis.compareTo(BigDecimal.ONE) < 0 || millis.compareTo(BigDecimal.valueOf(64_000)) > 0) {
            throw GatewayException.invalid(field, "must be between 1m and 64, got '" + quantity + "'");
        }
        return millis.intValue();
    }
}
