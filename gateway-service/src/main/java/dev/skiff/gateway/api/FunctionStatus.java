package dev.skiff.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** A function as OpenFaaS' {@code GET /system/functions} lists it, plus Skiff's fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionStatus(
        String name,
        String image,
        String namespace,
        String envProcess,
        Map<String, String> envVars,
        Map<String, String> labels,
        Map<String, String> annotations,
        FunctionResources limits,
        FunctionResources requests,
        long invocationCount,
        int replicas,
        int availableReplicas,
        Instant createdAt,
        String runtime,
        String handler,
        String digest,
        int minScale,
        int maxScale,
        int concurrency,
        int idleTimeoutSeconds,
        int timeoutSeconds) {
}
