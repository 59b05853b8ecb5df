package dev.skiff.gateway.secrets;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.api.SecretName;
import dev.skiff.gateway.functions.FunctionCatalog;
import dev.skiff.secrets.FunctionSecrets;
import dev.skiff.secrets.Secret;
import dev.skiff.secrets.SecretException;
import dev.skiff.secrets.SecretStore;
import dev.skiff.secrets.SecretStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Functions' secrets as the gateway manages them: OpenFaaS' secrets API over the configured
 * {@link SecretStore}, and the check that what a deployment names exists. Values pass through
 * and are never logged or answered; names are.
 */
@ApplicationScoped
public class SecretService {
    private static final Logger LOG = Logger.getLogger(SecretService.class);

    private final SecretStore store;
    private final FunctionCatalog catalog;

    SecretService(SecretStore store, FunctionCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /** The namespace's secrets, names only. */
    public List<SecretName> list(String namespace) {
        return call(() -> store.names(namespace)).stream().map(n -> new SecretName(n, namespace)).toList();
    }

    /** Stores a new secret; 409 when the name is taken. */
    public void create(Secret secret) {
        if (!call(() -> store.create(secret))) {
            throw GatewayException.conflict("secret " + secret.name() + " exists in namespace " + secret.namespace()
                    + "; change it with PUT /system/secrets");
        }
        LOG.infof("secret %s created in namespace %s (%d bytes)", secret.name(), secret.namespace(), secret.size());
    }

    /** Replaces a secret's value; 404 when there is none. Instances started from now on get the new value. */
    public void update(Secret secret) {
        if (!call(() -> store.replace(secret))) {
            throw notFound(secret.namespace(), secret.name());
        }
        LOG.infof("secret %s updated in namespace %s (%d bytes)", secret.name(), secret.namespace(), secret.size());
    }

    /** Deletes a secret; 404 when there is none, 409 while a function of its namespace names it. */
    public void delete(String namespace, String name) {
        List<String> users = catalog.all().stream()
                .filter(f -> FunctionSpec.namespaceOf(f.spec()).equals(namespace))
                .filter(f -> f.spec().secrets().contains(name) || f.spec().secretEnv().values().stream()
                        .anyMatch(ref -> FunctionSecrets.Ref.parse(ref).secret().equals(name)))
                .map(f -> f.name()).sorted().toList();
        if (!users.isEmpty()) {
            throw GatewayException.conflict("secret " + name + " is used by " + String.join(", ", users)
                    + "; change or delete those functions first");
        }
        if (!call(() -> store.delete(namespace, name))) {
            throw notFound(namespace, name);
        }
        LOG.infof("secret %s deleted from namespace %s", name, namespace);
    }

    /**
     * Checks that every secret a spec names exists in its namespace and gives what is asked of it
     * (a key, text for a variable): 400 naming the field, so a deploy fails now rather than each boot.
     */
    public void checkReferences(FunctionSpec spec) {
        try {
            call(() -> FunctionSecrets.resolve(spec, store));
        } catch (SecretException e) {
            String field = e.field() == null ? "secrets" : e.field().replace("secretEnv[", "secretEnvVars[");
            throw GatewayException.invalid(field, e.getMessage());
        }
    }

    private <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SecretStoreException e) {
            throw GatewayException.unavailable("secret store (" + store.kind() + ")", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalid("name", e.getMessage());
        }
    }

    private static GatewayException notFound(String namespace, String name) {
        return GatewayException.notFound("Secret not found", "no secret named '" + name + "' in namespace " + namespace);
    }
}
