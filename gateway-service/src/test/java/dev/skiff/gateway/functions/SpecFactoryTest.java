package dev.skiff.gateway.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.api.FunctionDeployment;
import dev.skiff.gateway.api.FunctionResources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecFactoryTest {
    private static final GatewayConfig.Defaults DEFAULTS = new GatewayConfig.Defaults() {
        public long memoryBytes() { return 128L << 20; }
        public int cpuMillis() { return 1000; }
        public int concurrency() { return 1; }
        public int minScale() { return 0; }
        public int maxScale() { return 20; }
        public int idleTimeoutSeconds() { return 120; }
        public int timeoutSeconds() { return 30; }
    };
    private static final GatewayConfig.Limits LIMITS = new GatewayConfig.Limits() {
        public int maxTimeoutSeconds() { return 300; }
        public int maxScale() { return 1000; }
        public int maxInstancesPerNamespace() { return 2000; }
    };
    private final SpecFactory factory = new SpecFactory(DEFAULTS, LIMITS);

    private static FunctionDeployment deployment(String runtime, String handler, Map<String, String> labels,
            FunctionResources limits, Integer timeout) {
        return new FunctionDeployment("hello", "code/hello:latest", null, runtime, handler, null, Map.of("A", "1"),
                labels, null, limits, null, null, null, timeout, null, null);
    }

    @Test
    void aVariableGivenBothPlainAndFromASecretIsRejected() {
        FunctionDeployment d = deployment("exec", "handler.sh", null, null, null);
        FunctionDeployment both = new FunctionDeployment(d.service(), d.image(), null, d.runtime(), d.handler(), null,
                Map.of("A", "1"), null, null, null, null, null, null, null, null, Map.of("A", "db"));
        GatewayException e = assertThrows(GatewayException.class, () -> factory.toSpec(both));
        assertEquals("secretEnvVars[A]", e.field());
    }

    @Test
    void secretsNamedTwiceAreRejectedAndSecretsReachTheSpec() {
        FunctionDeployment d = deployment("exec", "handler.sh", null, null, null);
        FunctionDeployment twice = new FunctionDeployment(d.service(), d.image(), null, d.runtime(), d.handler(), null,
                null, null, null, null, null, null, null, null, java.util.List.of("db", "db"), null);
        assertThrows(GatewayException.class, () -> factory.toSpec(twice));
        FunctionDeployment ok = new FunctionDeployment(d.service(), d.image(), null, d.runtime(), d.handler(), null,
                null, null, null, null, null, null, null, null, java.util.List.of("db"), Map.of("KEY", "api/key"));
        FunctionSpec spec = factory.toSpec(ok);
        assertEquals(java.util.List.of("db"), spec.secrets());
        assertEquals(Map.of("KEY", "api/key"), spec.secretEnv());
    }

    @Test
    void defaultsFillWhatTheDeploymentLeavesOut() {
        FunctionSpec spec = factory.toSpec(deployment("exec", "handler.sh", null, null, null));
        assertEquals(128L << 20, spec.memoryBytes());
        assertEquals(1, spec.concurrency());
        assertEquals(0, spec.minScale());
        assertEquals(20, spec.maxScale());
        assertEquals(120, spec.idleTimeoutSeconds());
        assertEquals(30, spec.timeoutSeconds());
        assertEquals(Map.of("A", "1"), spec.env());
    }

    @Test
    void openFaasScaleLabelsAndLimitsAreHonoured() {
        FunctionSpec spec = factory.toSpec(deployment("exec", "handler.sh",
                Map.of(SpecFactory.SCALE_MIN, "1", SpecFactory.SCALE_MAX, "3"), new FunctionResources("256Mi", "500m"), 10));
        assertEquals(1, spec.minScale());
        assertEquals(3, spec.maxScale());
        assertEquals(256L << 20, spec.memoryBytes());
        assertEquals(500, spec.cpuMillis());
        assertEquals(10, spec.timeoutSeconds());
    }

    @Test
    void quantitiesParseAsKubernetesWritesThem() {
        assertEquals(1L << 30, SpecFactory.memoryBytes("1Gi", "f"));
        assertEquals(64_000_000L, SpecFactory.memoryBytes("64M", "f"));
        assertEquals(500, SpecFactory.cpuMillis("0.5", "f"));
        assertEquals(2000, SpecFactory.cpuMillis("2", "f"));
    }

    @Test
    void invalidValuesAreRefusedNamingTheField() {
        assertField("labels[com.openfaas.scale.min]", () -> factory.toSpec(deployment("exec", "h",
                Map.of(SpecFactory.SCALE_MIN, "-1"), null, null)));
        assertField("labels[com.openfaas.scale.min]", () -> factory.toSpec(deployment("exec", "h",
                Map.of(SpecFactory.SCALE_MIN, "5", SpecFactory.SCALE_MAX, "2"), null, null)));
        assertField("labels[com.openfaas.scale.max]", () -> factory.toSpec(deployment("exec", "h",
                Map.of(SpecFactory.SCALE_MAX, "0"), null, null)));
        assertField("timeoutSeconds", () -> factory.toSpec(deployment("exec", "h", null, null, 301)));
        assertField("limits.memory", () -> factory.toSpec(deployment("exec", "h", null, new FunctionResources("1Mi", null), null)));
        assertField("handler", () -> factory.toSpec(deployment("java", null, null, null, null)));
        assertField("handler", () -> factory.toSpec(deployment("exec", "../etc/passwd", null, null, null)));
    }

    @Test
    void aMemoryQuantitySoLargeItWrapsAroundIsRefusedNotReadAsASmallOne() {
        // 17179869185 * 2^30 = 2^64 + 2^30: in a long that wraps to exactly 1Gi
        assertField("limits.memory", () -> SpecFactory.memoryBytes("17179869185Gi", "limits.memory"));
        assertField("limits.memory", () -> SpecFactory.memoryBytes("999999999999Gi", "limits.memory"));
    }

    @Test
    void scaleLabelsAreAsciiDigitsOnly() {
        assertField("labels[com.openfaas.scale.max]", () -> factory.toSpec(deployment("exec", "h",
                Map.of(SpecFactory.SCALE_MAX, "\u0663"), null, null)));
        assertField("labels[com.openfaas.scale.max]", () -> factory.toSpec(deployment("exec", "h",
                Map.of(SpecFactory.SCALE_MAX, "99999999999"), null, null)));
        assertEquals(3, factory.toSpec(deployment("exec", "h", Map.of(SpecFactory.SCALE_MAX, " 3 "), null, null)).maxScale());
    }

    private static void assertField(String field, Runnable action) {
        GatewayException e = assertThrows(GatewayException.class, action::run);
        assertEquals(400, e.status());
        assertEquals(field, e.field());
    }
}
