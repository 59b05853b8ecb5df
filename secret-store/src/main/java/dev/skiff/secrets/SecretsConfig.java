package dev.skiff.secrets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where the gateway and the node agents find functions' secrets; both must be given the same store. */
@ConfigMapping(prefix = "skiff.secrets")
public interface SecretsConfig {

    /** {@code directory} (a local directory, standalone) or {@code kubernetes} (Secrets, in a cluster). */
    @WithDefault("directory")
    Kind store();

    /** The directory store's root: {@code <dir>/<namespace>/<name>}. */
    @WithDefault("data/secrets")
    Path dir();

    enum Kind {
        directory,
        kubernetes
    }
}
