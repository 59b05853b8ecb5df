package dev.skiff.gateway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.gateway.api.FunctionDeployment;
import dev.skiff.gateway.functions.DeployedFunction;
import dev.skiff.gateway.kubernetes.model.FunctionResource;
import dev.skiff.gateway.kubernetes.model.FunctionResourceSpec;
import dev.skiff.gateway.kubernetes.model.FunctionResourceStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionModelTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

    @Test
    void deploymentCarriesTheSpecTheScaleLabelsAndTheOwner() {
        FunctionResource resource = resource("hello", 3);
        resource.getSpec().setLabels(Map.of("team", "a", "com.openfaas.scale.min", "9"));
        resource.getSpec().setMinScale(1);
        resource.getSpec().setMaxScale(4);
        resource.getSpec().setMemory("256Mi");
        resource.getSpec().setEnv(Map.of("GREETING", "Ahoy"));
        resource.getSpec().setSecrets(java.util.List.of("db"));
        resource.getSpec().setSecretEnv(Map.of("API_KEY", "api/key"));

        FunctionDeployment d = FunctionModel.toDeployment(resource);

        assertEquals("hello", d.service());
        assertEquals("code/hello:latest", d.image());
        assertEquals("exec", d.runtime());
        assertEquals("handler.sh", d.handler());
        assertEquals(Map.of("GREETING", "Ahoy"), d.envVars());
        assertEquals(Map.of("team", "a", "com.openfaas.scale.min", "1", "com.openfaas.scale.max", "4"), d.labels());
        assertEquals("apps/hello", d.annotations().get(FunctionModel.OWNER_ANNOTATION));
        assertEquals("256Mi", d.limits().memory());
        assertNull(d.limits().cpu());
        assertNull(d.concurrency(), "absent fields stay absent: the platform's defaults apply");
        assertEquals("apps", d.namespace(), "the Skiff namespace is the resource's, where its Secrets live");
        assertEquals("apps", d.annotations().get(dev.skiff.contracts.Names.NAMESPACE_ANNOTATION));
        assertEquals(java.util.List.of("db"), d.secrets());
        assertEquals(Map.of("API_KEY", "api/key"), d.secretEnvVars());
        assertEquals("spec.secretEnv", FunctionModel.field("secretEnvVars"));
    }

    @Test
    void ownerAnnotationCannotBeForgedBySpecAnnotations() {
        FunctionResource resource = resource("hello", 1);
        resource.getSpec().setAnnotations(Map.of(FunctionModel.OWNER_ANNOTATION, "other/ns"));
        assertEquals("apps/hello", FunctionModel.toDeployment(resource).annotations().get(FunctionModel.OWNER_ANNOTATION));
    }

    @Test
    void functionWithoutSpecIsRefused() {
        FunctionResource resource = resource("hello", 1);
        resource.setSpec(null);
        assertThrows(IllegalArgumentException.class, () -> FunctionModel.toDeployment(resource));
    }

    @Test
    void keyIsTheInformersCacheKey() {
        FunctionResource resource = resource("hello", 1);
        assertEquals(Cache.metaNamespaceKeyFunc(resource), FunctionModel.key(resource));
    }

    @Test
    void deploymentFieldsAreNamedInTheResourcesTerms() {
        assertEquals("metadata.name", FunctionModel.field("service"));
        assertEquals("spec.memory", FunctionModel.field("limits.memory"));
        assertEquals("spec.minScale", FunctionModel.field("labels[com.openfaas.scale.min]"));
        assertEquals("spec.env[BAD-NAME]", FunctionModel.field("envVars[BAD-NAME]"));
        assertEquals("spec.labels[team]", FunctionModel.field("labels[team]"));
        assertEquals("spec", FunctionModel.field(null));
    }

    @Test
    void readyStatusNamesTheServingVersion() {
        FunctionResource resource = resource("hello", 2);
        FunctionResourceStatus status = FunctionModel.ready(resource, deployed("sha256:aa"), 3, T0);
        assertEquals(2L, status.getObservedGeneration());
        assertEquals(3, status.getReplicas());
        assertEquals("/function/hello", status.getUrl());
        assertEquals("sha256:aa", status.getDigest());
        assertEquals("code/hello:latest", status.getImage());
        assertNull(status.getLastError());
        Condition ready = status.ready();
        assertEquals("True", ready.getStatus());
        assertEquals(FunctionModel.REASON_DEPLOYED, ready.getReason());
        assertEquals(T0.toString(), ready.getLastTransitionTime());
    }

    @Test
    void refusedSpecKeepsTheServingVersionAndSaysWhy() {
        FunctionResource resource = resource("hello", 2);
        resource.setStatus(FunctionModel.ready(resource, deployed("sha256:aa"), 1, T0));
        resource.getMetadata().setGeneration(3L);

        FunctionResourceStatus status = FunctionModel.failed(resource, FunctionModel.REASON_INVALID, "spec.memory: too big", T1);

        assertEquals(3L, status.getObservedGeneration());
        assertEquals("sha256:aa", status.getDigest(), "the earlier version keeps serving");
        assertEquals("spec.memory: too big", status.getLastError());
        assertEquals("False", status.ready().getStatus());
        assertEquals(FunctionModel.REASON_INVALID, status.ready().getReason());
        assertEquals(T1.toString(), status.ready().getLastTransitionTime(), "Ready changed: a new transition time");
    }

    @Test
    void transitionTimeStaysWhileReadyDoesNotChange() {
        FunctionResource resource = resource("hello", 1);
        resource.setStatus(FunctionModel.ready(resource, deployed("sha256:aa"), 1, T0));
        assertEquals(T0.toString(), FunctionModel.ready(resource, deployed("sha256:bb"), 2, T1).ready().getLastTransitionTime());
    }

    @Test
    void unavailablePlatformKeepsReadyOnlyForAGenerationAlreadyServed() {
        FunctionResource served = resource("hello", 1);
        served.setStatus(FunctionModel.ready(served, deployed("sha256:aa"), 1, T0));
        FunctionResourceStatus same = FunctionModel.unavailable(served, "store down", T1);
        assertEquals("True", same.ready().getStatus());
        assertEquals("store down", same.getLastError());

        served.getMetadata().setGeneration(2L);
        FunctionResourceStatus changed = FunctionModel.unavailable(served, "store down", T1);
        assertEquals("False", changed.ready().getStatus());
        assertEquals(FunctionModel.REASON_UNAVAILABLE, changed.ready().getReason());
        assertEquals(2L, changed.getObservedGeneration());
    }

    private static FunctionResource resource(String name, long generation) {
        FunctionResource resource = new FunctionResource();
        resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("apps").withGeneration(generation).build());
        FunctionResourceSpec spec = new FunctionResourceSpec();
        spec.setImage("code/" + name + ":latest");
        spec.setRuntime("exec");
        spec.setHandler("handler.sh");
        resource.setSpec(spec);
        return resource;
    }

    private static DeployedFunction deployed(String digest) {
        FunctionSpec spec = new FunctionSpec("hello", "exec", "handler.sh", null, null, null, 1 << 27, 1000, 1, 0, 20, 120, 30);
        return new DeployedFunction(spec, digest, "code/hello:latest", T0);
    }
}
