package dev.skiff.gateway.kubernetes;

import dev.skiff.gateway.api.FunctionDeployment;
import dev.skiff.gateway.api.FunctionResources;
import dev.skiff.gateway.functions.DeployedFunction;
import dev.skiff.gateway.functions.SpecFactory;
import dev.skiff.gateway.kubernetes.model.FunctionResource;
import dev.skiff.gateway.kubernetes.model.FunctionResourceSpec;
import dev.skiff.gateway.kubernetes.model.FunctionResourceStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure translation between a Function resource and the platform: the deployment it asks for, the
 * name of a spec field in the resource's terms, and the status that describes an outcome. Nothing
 * here talks to Kubernetes or to the platform.
 */
public final class FunctionModel {
    /** Annotation on a function deployed by the controller: the namespace/name of its Function resource. */
    public static final String OWNER_ANNOTATION = "skiff.dev/function-resource";
    /** Ready reasons. */
    public static final String REASON_DEPLOYED = "Deployed";
    public static final String REASON_INVALID = "InvalidSpec";
    public static final String REASON_CONFLICT = "Conflict";
    public static final String REASON_UNAVAILABLE = "PlatformUnavailable";

    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("service", "metadata.name"),
            Map.entry("image", "spec.image"),
            Map.entry("runtime", "spec.runtime"),
            Map.entry("handler", "spec.handler"),
            Map.entry("envProcess", "spec.handler"),
            Map.entry("envVars", "spec.env"),
            Map.entry("secrets", "spec.secrets"),
            Map.entry("secretEnvVars", "spec.secretEnv"),
            Map.entry("labels", "spec.labels"),
            Map.entry("annotations", "spec.annotations"),
            Map.entry("limits.memory", "spec.memory"),
            Map.entry("limits.cpu", "spec.cpu"),
            Map.entry("concurrency", "spec.concurrency"),
            Map.entry("idleTimeoutSeconds", "spec.idleTimeoutSeconds"),
            Map.entry("timeoutSeconds", "spec.timeoutSeconds"),
            Map.entry("labels[" + SpecFactory.SCALE_MIN + "]", "spec.minScale"),
            Map.entry("labels[" + SpecFactory.SCALE_MAX + "]", "spec.maxScale"));

    private FunctionModel() {
    }

    /** The work-queue key of a resource: {@code namespace/name}. */
    public static String key(FunctionResource resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }

    /** Where the gateway serves a function. */
    public static String url(String function) {
        return "/function/" + function;
    }

    /**
     * The deployment a Function asks for, as the gateway's API would take it: the name is the
     * resource's name, its namespace the resource's, scale bounds become OpenFaaS' scale labels
     * (over any the labels hold), and the owner annotation marks the function as this resource's.
     */
    public static FunctionDeployment toDeployment(FunctionResource resource) {
        FunctionResourceSpec spec = resource.getSpec();
        if (spec == null) {
            throw new IllegalArgumentException("spec: required");
        }
        Map<String, String> labels = new LinkedHashMap<>(spec.getLabels() == null ? Map.of() : spec.getLabels());
        if (spec.getMinScale() != null) {
            labels.put(SpecFactory.SCALE_MIN, spec.getMinScale().toString());
        }
        if (spec.getMaxScale() != null) {
            labels.put(SpecFactory.SCALE_MAX, spec.getMaxScale().toString());
        }
        Map<String, String> annotations = new LinkedHashMap<>(spec.getAnnotations() == null ? Map.of() : spec.getAnnotations());
        annotations.put(OWNER_ANNOTATION, key(resource));
        FunctionResources limits = spec.getMemory() == null && spec.getCpu() == null
                ? null : new FunctionResources(spec.getMemory(), spec.getCpu());
        FunctionDeployment deployment = new FunctionDeployment(resource.getMetadata().getName(), spec.getImage(), null,
                spec.getRuntime(), spec.getHandler(), null, spec.getEnv(), labels, annotations, limits, null,
                spec.getConcurrency(), spec.getIdleTimeoutSeconds(), spec.getTimeoutSeconds(), spec.getSecrets(),
                spec.getSecretEnv());
        // a Function belongs to the Skiff namespace named like its Kubernetes one, where its Secrets are
        String namespace = resource.getMetadata().getNamespace();
        return namespace == null ? deployment : deployment.inNamespace(namespace);
    }

    /**
     * The resource's name for a field of the deployment ({@code limits.memory} -> {@code spec.memory});
     * a path the table does not know is named by its first part.
     */
    public static String field(String deploymentField) {
        if (deploymentField == null) {
            return "spec";
        }
        String exact = FIELDS.get(deploymentField);
        if (exact != null) {
            return exact;
        }
        int end = 0;
        while (end < deploymentField.length() && Character.isLetterOrDigit(deploymentField.charAt(end))) {
            end++;
        }
        String head = deploymentField.substring(0, end);
        return FIELDS.getOrDefault(head, "spec." + head) + deploymentField.substring(end);
    }

    /** The status of a Function whose current spec is deployed and serving. */
    public static FunctionResourceStatus ready(FunctionResource resource, DeployedFunction deployed, int replicas, Instant now) {
        FunctionResourceStatus status = new FunctionResourceStatus();
        status.setObservedGeneration(resource.getMetadata().getGeneration());
        status.setReplicas(replicas);
        status.setUrl(url(deployed.name()));
        status.setImage(deployed.image());
        status.setDigest(deployed.digest());
        status.setConditions(List.of(condition(resource, "True", REASON_DEPLOYED,
                "version " + deployed.digest() + " serves " + url(deployed.name()), now)));
        return status;
    }

    /**
     * The status of a Function whose spec could not be deployed: Ready is False with the reason,
     * and the last error says why. What still serves (an earlier version, or nothing) is kept.
     */
    public static FunctionResourceStatus failed(FunctionResource resource, String reason, String error, Instant now) {
        FunctionResourceStatus previous = resource.getStatus();
        FunctionResourceStatus status = new FunctionResourceStatus();
        if (previous != null) {
            status.setReplicas(previous.getReplicas());
            status.setUrl(previous.getUrl());
            status.setImage(previous.getImage());
            status.setDigest(previous.getDigest());
        }
        status.setObservedGeneration(resource.getMetadata().getGeneration());
        status.setLastError(error);
        String serving = status.getDigest() == null ? "nothing is deployed" : "version " + status.getDigest() + " keeps serving";
        status.setConditions(List.of(condition(resource, "False", reason, error + "; " + serving, now)));
        return status;
    }

    /**
     * The status after a failure that may pass (the store or scheduler unreachable): the last
     * error is recorded, and Ready stays as it was if the current generation was already
     * reconciled (the function serves it); otherwise Ready is False.
     */
    public static FunctionResourceStatus unavailable(FunctionResource resource, String error, Instant now) {
        FunctionResourceStatus previous = resource.getStatus();
        Condition ready = previous == null ? null : previous.ready();
        boolean served = ready != null && "True".equals(ready.getStatus())
                && resource.getMetadata().getGeneration() != null
                && resource.getMetadata().getGeneration().equals(previous.getObservedGeneration());
        if (!served) {
            return failed(resource, REASON_UNAVAILABLE, error, now);
        }
        FunctionResourceStatus status = copy(previous);
        status.setLastError(error);
        return status;
    }

    /** A Ready condition; its transition time is the previous one when the status does not change. */
    private static Condition condition(FunctionResource resource, String value, String reason, String message, Instant now) {
        Condition previous = resource.getStatus() == null ? null : resource.getStatus().ready();
        String since = previous != null && value.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime() : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return new ConditionBuilder().withType(FunctionResourceStatus.READY).withStatus(value).withReason(reason)
                .withMessage(message).withLastTransitionTime(since)
                .withObservedGeneration(resource.getMetadata().getGeneration()).build();
    }

    private static FunctionResourceStatus copy(FunctionResourceStatus s) {
        FunctionResourceStatus c = new FunctionResourceStatus();
        c.setObservedGeneration(s.getObservedGeneration());
        c.setConditions(s.getConditions().stream().map(x -> new ConditionBuilder(x).build()).toList());
        c.setReplicas(s.getReplicas());
        c.setUrl(s.getUrl());
        c.setImage(s.getImage());
        c.setDigest(s.getDigest());
        c.setLastError(s.getLastError());
        return c;
    }
}
