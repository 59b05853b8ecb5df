package dev.skiff.gateway.api;

import dev.skiff.contracts.Names;
import dev.skiff.secrets.FunctionSecrets;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A deployment as OpenFaaS' {@code POST /system/functions} takes it, plus Skiff's own fields.
 * Scale bounds come from OpenFaaS' labels {@code com.openfaas.scale.min} and {@code com.openfaas.scale.max}.
 *
 * @param service            the function name
 * @param image              the code artefact in the function store, e.g. {@code code/hello:latest}
 * @param runtime            {@code java} or {@code exec}
 * @param handler            java: handler class; exec: the executable (defaults to {@code envProcess})
 * @param envProcess         OpenFaaS' process to run; the exec handler when {@code handler} is absent
 * @param concurrency        calls one instance serves at once
 * @param idleTimeoutSeconds seconds an idle instance lives
 * @param timeoutSeconds     seconds one call may run
 * @param secrets            OpenFaaS' {@code secrets}: secrets of the function's namespace whose keys
 *                           each instance finds as files in {@code $SKIFF_SECRETS_DIR} ({@code /var/openfaas/secrets} in a VM)
 * @param secretEnvVars      environment variables set from secrets: name to {@code secret} or {@code secret/key}
 */
public record FunctionDeployment(
        @NotBlank @Pattern(regexp = Names.FUNCTION, message = "must be a DNS label: lowercase letters, digits and '-', starting with a letter, at most 63 characters") String service,
        @NotBlank @Size(max = 512) String image,
        @Pattern(regexp = Names.FUNCTION, message = "must be a DNS label") String namespace,
        @NotNull @Pattern(regexp = "java|exec", message = "must be 'java' or 'exec'") String runtime,
        @Size(max = 256) @Pattern(regexp = "[A-Za-z0-9._$/-]+", message = "must be a class name or a file name, without spaces") String handler,
        @Size(max = 256) @Pattern(regexp = "[A-Za-z0-9._$/-]+", message = "must be a file name, without spaces or arguments") String envProcess,
        @Size(max = 64) Map<@NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}", message = "must be an environment variable name") String,
                @NotNull @Size(max = 4096) @Pattern(regexp = "[^\\x00]*", message = "must not contain NUL characters (an environment cannot hold them)") String> envVars,
        @Size(max = 64) Map<@NotBlank @Size(max = 253) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/-]*", message = "must be a label key") String,
                @NotNull @Size(max = 253) String> labels,
        @Size(max = 64) Map<@NotBlank @Size(max = 253) String, @NotNull @Size(max = 4096) String> annotations,
        @Valid FunctionResources limits,
        @Valid FunctionResources requests,
        @Min(1) @Max(1000) Integer concurrency,
        @Min(1) @Max(86400) Integer idleTimeoutSeconds,
        @Min(1) Integer timeoutSeconds,
        @Size(max = 32) List<@NotNull @Pattern(regexp = Names.SECRET, message = "must be a secret name (a DNS subdomain)") String> secrets,
        @Size(max = 64) Map<@NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}", message = "must be an environment variable name") String,
                @NotNull @Pattern(regexp = FunctionSecrets.Ref.PATTERN, message = "must be a secret name, or secret/key") String> secretEnvVars) {

    /** This deployment in a namespace: its {@code namespace} set and kept in the annotations, where the spec carries it. */
    public FunctionDeployment inNamespace(String ns) {
        Map<String, String> withNamespace = new java.util.HashMap<>(annotations == null ? Map.of() : annotations);
        withNamespace.put(dev.skiff.gateway.auth.Namespaces.ANNOTATION, ns);
        return new FunctionDeployment(service, image, ns, runtime, handler, envProcess, envVars, labels, withNamespace,
                limits, requests, concurrency, idleTimeoutSeconds, timeoutSeconds, secrets, secretEnvVars);
    }
}
