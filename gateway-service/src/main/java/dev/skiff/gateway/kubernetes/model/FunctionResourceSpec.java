package dev.skiff.gateway.kubernetes.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The spec of a Function resource: what the gateway's deploy API takes, in Kubernetes' spelling.
 * The function's name is the resource's {@code metadata.name}. Absent fields get the platform's
 * defaults, as a deployment through the API would.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class FunctionResourceSpec {
    private String image;
    private String runtime;
    private String handler;
    private Map<String, String> env;
    private Map<String, String> labels;
    private Map<String, String> annotations;
    private String memory;
    private String cpu;
    private Integer concurrency;
    private Integer minScale;
    private Integer maxScale;
    private Integer idleTimeoutSeconds;
    private Integer timeoutSeconds;
    private List<String> secrets;
    private Map<String, String> secretEnv;

    public List<String> getSecrets() {
        return secrets;
    }

    public void setSecrets(List<String> secrets) {
        this.secrets = secrets;
    }

    public Map<String, String> getSecretEnv() {
        return secretEnv;
    }

    public void setSecretEnv(Map<String, String> secretEnv) {
        this.secretEnv = secretEnv;
    }

    /** The code artefact in the function store, e.g. {@code code/hello:latest} (required). */
    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    /** {@code java} or {@code exec} (required). */
    public String getRuntime() {
        return runtime;
    }

    public void setRuntime(String runtime) {
        this.runtime = runtime;
    }

    /** java: the handler class; exec: the executable's file name in the artefact (required). */
    public String getHandler() {
        return handler;
    }

    public void setHandler(String handler) {
        this.handler = handler;
    }

    /** Environment of every instance. */
    public Map<String, String> getEnv() {
        return env;
    }

    public void setEnv(Map<String, String> env) {
        this.env = env;
    }

    /** The function's labels (OpenFaaS {@code labels}). */
    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    /** The function's annotations (OpenFaaS {@code annotations}). */
    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    /** Memory of one instance, a Kubernetes quantity such as {@code 128Mi}. */
    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }

    /** CPU of one instance, a Kubernetes quantity such as {@code 500m} or {@code "1"}. */
    public String getCpu() {
        return cpu;
    }

    public void setCpu(String cpu) {
        this.cpu = cpu;
    }

    /** Calls one instance serves at once. */
    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    /** Instances kept warm at all times. */
    public Integer getMinScale() {
        return minScale;
    }

    public void setMinScale(Integer minScale) {
        this.minScale = minScale;
    }

    /** Instances never exceeded. */
    public Integer getMaxScale() {
        return maxScale;
    }

    public void setMaxScale(Integer maxScale) {
        this.maxScale = maxScale;
    }

    /** Seconds an idle instance lives. */
    public Integer getIdleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    public void setIdleTimeoutSeconds(Integer idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /** Seconds one call may run. */
    public Integer getTimeoutSeconds() {
        return timeoutSeconds;
    }

    public void setTimeoutSeconds(Integer timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }
}
