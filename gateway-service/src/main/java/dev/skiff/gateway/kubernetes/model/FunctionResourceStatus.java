package dev.skiff.gateway.kubernetes.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the controller last saw of a Function: its {@code Ready} condition, the generation that
 * was reconciled, the version serving and where to call it, and the last error, if any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class FunctionResourceStatus {
    /** The condition type that says whether the function serves the resource's current spec. */
    public static final String READY = "Ready";

    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();
    private Integer replicas;
    private String url;
    private String image;
    private String digest;
    private String lastError;

    /** The {@code metadata.generation} this status describes. */
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    /** Conditions; the controller writes {@code Ready}. */
    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }

    /** Instances the function has on the nodes, as the scheduler last reported. */
    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    /** Where the gateway serves the function: {@code /function/<name>}. */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    /** The code artefact the serving version was built from. */
    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    /** The manifest digest of the serving version in the function store. */
    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    /** Why the last reconcile failed; absent after a success. */
    public String getLastError() {
        return lastError;
    }

    public void setLastError(String lastError) {
        this.lastError = lastError;
    }

    /** The {@code Ready} condition, or null. */
    public Condition ready() {
        return conditions.stream().filter(c -> READY.equals(c.getType())).findFirst().orElse(null);
    }
}
