package dev.skiff.gateway.kubernetes;

import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.api.FunctionDeployment;
import dev.skiff.gateway.api.FunctionStatus;
import dev.skiff.gateway.functions.FunctionService;
import dev.skiff.gateway.kubernetes.model.FunctionResource;
import dev.skiff.gateway.kubernetes.model.FunctionResourceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Brings one Function resource and the platform into agreement, idempotently: whatever state it
 * finds, running it again does no harm. A live resource goes
 * {@code ensureFinalizer() -> desiredDeployment() -> apply() -> writeStatus()}; a deleted one
 * {@code removeFromPlatform() -> removeFinalizer()}. Blocking: it runs on the controller's thread.
 */
final class FunctionReconciler {
    private static final Logger LOG = Logger.getLogger(FunctionReconciler.class);

    /** How a reconcile ended: the metric's {@code result}; {@link #ERROR} is tried again later. */
    enum Result {
        SUCCESS("success"), INVALID("invalid"), ERROR("error");

        final String tag;

        Result(String tag) {
            this.tag = tag;
        }
    }

    private final KubernetesClient client;
    private final FunctionService functions;
    private final Validator validator;
    private final Clock clock;

    FunctionReconciler(KubernetesClient client, FunctionService functions, Validator validator, Clock clock) {
        this.client = client;
        this.functions = functions;
        this.validator = validator;
        this.clock = clock;
    }

    /** Reconciles the resource as the cache has it; the caller retries on {@link Result#ERROR} and on exceptions. */
    Result reconcile(FunctionResource cached) {
        FunctionResource resource = client.getKubernetesSerialization().clone(cached);
        if (resource.isMarkedForDeletion()) {
            return finalizeDeletion(resource);
        }
        resource = ensureFinalizer(resource);
        FunctionDeployment deployment;
        try {
            deployment = desiredDeployment(resource);
        } catch (IllegalArgumentException e) {
            return refused(resource, FunctionModel.REASON_INVALID, e.getMessage());
        }
        try {
            FunctionService.Applied applied = apply(deployment);
            FunctionStatus status = functions.get(deployment.service());
            writeStatus(resource, FunctionModel.ready(resource, applied.function(),
                    status == null ? 0 : status.replicas(), clock.instant()));
            return Result.SUCCESS;
        } catch (GatewayException e) {
            if (e.status() == 409) {
                return refused(resource, FunctionModel.REASON_CONFLICT, e.getMessage());
            }
            if (e.status() >= 400 && e.status() < 500) {
                String field = FunctionModel.field(e.field());
                return refused(resource, FunctionModel.REASON_INVALID, field + ": " + e.getMessage());
            }
            LOG.warnf("Function %s: the platform failed, will try again: %s", FunctionModel.key(resource), e.getMessage());
            writeStatus(resource, FunctionModel.unavailable(resource, e.title() + ": " + e.getMessage(), clock.instant()));
            return Result.ERROR;
        }
    }

    /** Adds the finalizer, so that a deletion waits until the function is removed from the platform. */
    private FunctionResource ensureFinalizer(FunctionResource resource) {
        if (resource.hasFinalizer(FunctionResource.FINALIZER)) {
            return resource;
        }
        resource.addFinalizer(FunctionResource.FINALIZER);
        FunctionResource updated = client.resource(resource).update();
        LOG.debugf("Function %s: finalizer added", FunctionModel.key(resource));
        return updated;
    }

    /** The deployment the resource asks for, checked as the gateway's API checks one; refused with the fields named. */
    private FunctionDeployment desiredDeployment(FunctionResource resource) {
        FunctionDeployment deployment = FunctionModel.toDeployment(resource);
        Set<ConstraintViolation<FunctionDeployment>> violations = validator.validate(deployment);
        if (!violations.isEmpty()) {
            List<String> problems = new ArrayList<>();
            violations.stream().sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .forEach(v -> problems.add(FunctionModel.field(path(v.getPropertyPath())) + ": " + v.getMessage()
                            + (v.getInvalidValue() instanceof String s ? " (got '" + s + "')" : "")));
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return deployment;
    }

    /** Deploys, rolls out or leaves the function, whichever makes it match. */
    private FunctionService.Applied apply(FunctionDeployment deployment) {
        FunctionService.Applied applied = functions.apply(deployment, FunctionModel.OWNER_ANNOTATION);
        if (applied.outcome() != FunctionService.Outcome.UNCHANGED) {
            LOG.infof("Function %s: %s as %s", deployment.annotations().get(FunctionModel.OWNER_ANNOTATION),
                    applied.outcome().name().toLowerCase(java.util.Locale.ROOT), applied.function().digest());
        }
        return applied;
    }

    /** A spec the platform refuses: Ready False with the reason, nothing new deployed, no retry until it changes. */
    private Result refused(FunctionResource resource, String reason, String error) {
        String key = FunctionModel.key(resource);
        if (writeStatus(resource, FunctionModel.failed(resource, reason, error, clock.instant()))) {
            LOG.infof("Function %s refused (%s): %s", key, reason, error);
        } else {
            LOG.debugf("Function %s still refused (%s): %s", key, reason, error);
        }
        return Result.INVALID;
    }

    /**
     * Writes the status through the status subresource, only when it changed (each write is an
     * event that brings the resource back to the queue). Returns whether it wrote.
     */
    private boolean writeStatus(FunctionResource resource, FunctionResourceStatus status) {
        var json = client.getKubernetesSerialization();
        if (Objects.equals(json.asJson(resource.getStatus()), json.asJson(status))) {
            return false;
        }
        resource.setStatus(status);
        client.resource(resource).updateStatus();
        return true;
    }

    /** A deleted resource: its function leaves the platform, then the finalizer goes and Kubernetes removes the resource. */
    private Result finalizeDeletion(FunctionResource resource) {
        if (!resource.hasFinalizer(FunctionResource.FINALIZER)) {
            return Result.SUCCESS;
        }
        String key = FunctionModel.key(resource);
        try {
            if (functions.deleteOwned(resource.getMetadata().getName(), FunctionModel.OWNER_ANNOTATION, key)) {
                LOG.infof("Function %s deleted: function %s removed from the platform", key, resource.getMetadata().getName());
            }
        } catch (GatewayException e) {
            LOG.warnf("Function %s deleted, but the platform failed to remove it; will try again: %s", key, e.getMessage());
            return Result.ERROR;
        }
        resource.removeFinalizer(FunctionResource.FINALIZER);
        try {
            client.resource(resource).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return Result.SUCCESS;
    }

    /** A violation's path in the deployment's terms: {@code limits.memory}, {@code envVars[NAME]}. */
    private static String path(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getName() != null && !node.getName().startsWith("<")) {
                out.append(out.isEmpty() ? "" : ".").append(node.getName());
            }
            if (node.getKey() != null) {
                out.append('[').append(node.getKey()).append(']');
            }
        }
        return out.toString();
    }
}
