package dev.skiff.secrets;

import java.util.List;
import java.util.Optional;

/**
 * Where secrets live: {@link DirectorySecretStore} (a local directory, standalone) or
 * {@link KubernetesSecretStore} (Kubernetes Secrets, in a cluster). The gateway writes through it
 * (OpenFaaS' {@code /system/secrets}); node agents read it when they start an instance, so a value
 * reaches only the instances of functions that name it. Failures to reach the store are
 * {@link SecretStoreException}s; invalid names or keys are {@link IllegalArgumentException}s.
 */
public interface SecretStore {

    /** {@code directory} or {@code kubernetes}, for messages. */
    String kind();

    /** A secret, or empty when the namespace has none of that name. */
    Optional<Secret> get(String namespace, String name);

    /** Names of the namespace's secrets, sorted. */
    List<String> names(String namespace);

    /** Stores a new secret; false, changing nothing, when one of that name exists. */
    boolean create(Secret secret);

    /** Replaces an existing secret's values; false, changing nothing, when there is none of that name. */
    boolean replace(Secret secret);

    /** Deletes a secret; false when there was none of that name. */
    boolean delete(String namespace, String name);
}
