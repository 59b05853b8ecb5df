package dev.skiff.secrets;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets as Kubernetes Secrets: a Skiff namespace's secret {@code name} is the Secret {@code name}
 * in the Kubernetes namespace of the same name, each of its data keys a key. Only Secrets labelled
 * {@value #LABEL}{@code =true} are Skiff's: the secrets API creates them so, and an operator labels
 * one made with kubectl to give it to functions. Any other Secret (a service account's token, another
 * application's password) is treated as absent, so no tenant can reach it by naming it.
 */
public final class KubernetesSecretStore implements SecretStore {
    /** The label that marks a Secret as one functions may be given. */
    public static final String LABEL = "skiff.dev/secret";
    private final KubernetesClient client;

    public KubernetesSecretStore(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    @Override
    public Optional<Secret> get(String namespace, String name) {
        SecretChecks.name(namespace, name);
        return skiffSecret(namespace, name).map(s -> new Secret(namespace, name, values(s)));
    }

    @Override
    public List<String> names(String namespace) {
        SecretChecks.namespace(namespace);
        try {
            return client.secrets().inNamespace(namespace).withLabel(LABEL, "true").list().getItems().stream()
                    .map(s -> s.getMetadata().getName()).sorted().toList();
        } catch (KubernetesClientException e) {
            throw failure("list the secrets of namespace " + namespace, e);
        }
    }

    @Override
    public boolean create(Secret secret) {
        SecretChecks.secret(secret);
        try {
            client.secrets().inNamespace(secret.namespace()).resource(new SecretBuilder()
                    .withMetadata(metadata(secret))
                    .withType("Opaque")
                    .withData(encoded(secret))
                    .build()).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw failure("create secret " + secret.name(), e);
        }
    }

    @Override
    public boolean replace(Secret secret) {
        SecretChecks.secret(secret);
        Optional<io.fabric8.kubernetes.api.model.Secret> existing = skiffSecret(secret.namespace(), secret.name());
        if (existing.isEmpty()) {
            return false;
        }
        try {
            // the resourceVersion read above makes this a compare-and-swap: a concurrent change fails it
            client.secrets().inNamespace(secret.namespace()).resource(new SecretBuilder(existing.get())
                    .withStringData(null)
                    .withData(encoded(secret))
                    .build()).update();
            return true;
        } catch (KubernetesClientException e) {
            throw failure("update secret " + secret.name(), e);
        }
    }

    @Override
    public boolean delete(String namespace, String name) {
        SecretChecks.name(namespace, name);
        if (skiffSecret(namespace, name).isEmpty()) {
            return false;
        }
        try {
            return !client.secrets().inNamespace(namespace).withName(name).delete().isEmpty();
        } catch (KubernetesClientException e) {
            throw failure("delete secret " + name, e);
        }
    }

    /** The Secret of that name if it carries the Skiff label. */
    private Optional<io.fabric8.kubernetes.api.model.Secret> skiffSecret(String namespace, String name) {
        try {
            io.fabric8.kubernetes.api.model.Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null || secret.getMetadata().getLabels() == null
                    || !"true".equals(secret.getMetadata().getLabels().get(LABEL))) {
                return Optional.empty();
            }
            return Optional.of(secret);
        } catch (KubernetesClientException e) {
            throw failure("read secret " + name + " in namespace " + namespace, e);
        }
    }

    private static ObjectMeta metadata(Secret secret) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(secret.name());
        meta.setNamespace(secret.namespace());
        meta.setLabels(Map.of(LABEL, "true", "app.kubernetes.io/managed-by", "skiff"));
        return meta;
    }

    private static Map<String, String> encoded(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        secret.data().forEach((key, value) -> data.put(key, Base64.getEncoder().encodeToString(value)));
        return data;
    }

    /** The values: {@code data} (base64) and, as a server that has not merged it yet may return it, {@code stringData}. */
    private static Map<String, byte[]> values(io.fabric8.kubernetes.api.model.Secret secret) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> values.put(key, Base64.getMimeDecoder().decode(value)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((key, value) -> values.put(key, value.getBytes(StandardCharsets.UTF_8)));
        }
        return values;
    }

    /** A failure of the API, named by its status only: fabric8's messages may quote a request, never let a value out. */
    private static SecretStoreException failure(String what, KubernetesClientException e) {
        return new SecretStoreException("cannot " + what + ": Kubernetes API answered "
                + (e.getCode() > 0 ? e.getCode() : "nothing") + (e.getStatus() != null && e.getStatus().getReason() != null
                ? " (" + e.getStatus().getReason() + ")" : ""), null);
    }
}
