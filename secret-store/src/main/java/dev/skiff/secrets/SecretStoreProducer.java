package dev.skiff.secrets;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** The configured store; the Kubernetes client is only made when the store is {@code kubernetes}. */
@ApplicationScoped
public class SecretStoreProducer {
    private static final Logger LOG = Logger.getLogger(SecretStoreProducer.class);

    @Produces
    @ApplicationScoped
    SecretStore secretStore(SecretsConfig config, Instance<KubernetesClient> kubernetes) {
        SecretStore store = switch (config.store()) {
            case kubernetes -> new KubernetesSecretStore(kubernetes.get());
            case directory -> new DirectorySecretStore(config.dir());
        };
        LOG.infof("secrets: %s store%s", store.kind(),
                store instanceof DirectorySecretStore d ? " in " + d.root() : " (Secrets labelled " + KubernetesSecretStore.LABEL + "=true)");
        return store;
    }
}
