package dev.skiff.contracts;

import java.util.List;
import java.util.Map;

/**
 * A function version's specification: the config blob of its OCI image manifest
 * (media type {@link MediaTypes#FUNCTION_CONFIG}). Immutable; a change makes a new version.
 *
 * @param name               function name, unique in the platform
 * @param runtime            {@link #RUNTIME_JAVA} or {@link #RUNTIME_EXEC}
 * @param handler            java: the handler class; exec: the executable, relative to the code directory
 * @param env                environment given to every instance
 * @param labels             user labels (OpenFaaS {@code labels})
 * @param annotations        user annotations (OpenFaaS {@code annotations})
 * @param memoryBytes        memory limit of one instance
 * @param cpuMillis          CPU limit of one instance, in thousandths of a vCPU
 * @param concurrency        calls one instance serves at once
 * @param minScale           instances kept warm at all times
 * @param maxScale           instances never exceeded
 * @param idleTimeoutSeconds an instance idle this long is killed
 * @param timeoutSeconds     a call running this long is answered 504 and its instance killed
 * @param secrets            names of secrets in the function's namespace whose keys each instance gets
 *                           as files (OpenFaaS {@code secrets}); values never enter the spec
 * @param secretEnv          environment variables whose values come from secrets: name to
 *                           {@code secret} (its only key, or the key named like it) or {@code secret/key}
 */
public record FunctionSpec(
        String name,
        String runtime,
        String handler,
        Map<String, String> env,
        Map<String, String> labels,
        Map<String, String> annotations,
        long memoryBytes,
        int cpuMillis,
        int concurrency,
        int minScale,
        int maxScale,
        int idleTimeoutSeconds,
        int timeoutSeconds,
        List<String> secrets,
        Map<String, String> secretEnv) {

    public static final String RUNTIME_JAVA = "java";
    public static final String RUNTIME_EXEC = "exec";

    public FunctionSpec {
        env = env == null ? Map.of() : Map.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        secretEnv = secretEnv == null ? Map.of() : Map.copyOf(secretEnv);
    }

    /** A spec without secrets. */
    public FunctionSpec(String name, String runtime, String handler, Map<String, String> env, Map<String, String> labels,
            Map<String, String> annotations, long memoryBytes, int cpuMillis, int concurrency, int minScale, int maxScale,
            int idleTimeoutSeconds, int timeoutSeconds) {
        this(name, runtime, handler, env, labels, annotations, memoryBytes, cpuMillis, concurrency, minScale, maxScale,
                idleTimeoutSeconds, timeoutSeconds, List.of(), Map.of());
    }

    /** The namespace the function belongs to: its {@link Names#NAMESPACE_ANNOTATION} annotation, or the default. */
    public static String namespaceOf(FunctionSpec spec) {
        return spec.annotations().getOrDefault(Names.NAMESPACE_ANNOTATION, Names.DEFAULT_NAMESPACE);
    }
}
