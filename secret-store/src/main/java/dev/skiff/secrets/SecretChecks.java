package dev.skiff.secrets;

import dev.skiff.contracts.Names;
import java.util.Map;

/** The checks every store makes before a name or key becomes a file name or an API path. */
final class SecretChecks {
    private SecretChecks() {
    }

    static void namespace(String namespace) {
        if (namespace == null || !namespace.matches(Names.FUNCTION)) {
            throw new IllegalArgumentException("invalid namespace '" + namespace + "': must be a DNS label");
        }
    }

    static void name(String namespace, String name) {
        namespace(namespace);
        if (name == null || !name.matches(Names.SECRET)) {
            throw new IllegalArgumentException("invalid secret name '" + name + "': must be a DNS subdomain");
        }
    }

    static void secret(Secret secret) {
        name(secret.namespace(), secret.name());
        if (secret.data().isEmpty()) {
            throw new IllegalArgumentException("secret " + secret.name() + " has no keys");
        }
        for (Map.Entry<String, byte[]> entry : secret.data().entrySet()) {
            if (!Names.isSecretKey(entry.getKey())) {
                throw new IllegalArgumentException("invalid key '" + entry.getKey() + "' in secret " + secret.name());
            }
        }
        if (secret.size() > Secret.MAX_BYTES) {
            throw new IllegalArgumentException("secret " + secret.name() + " holds " + secret.size()
                    + " bytes, more than the " + Secret.MAX_BYTES + " allowed");
        }
    }
}
