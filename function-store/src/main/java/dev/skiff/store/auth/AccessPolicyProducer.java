package dev.skiff.store.auth;

import dev.skiff.store.StoreConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Builds the access policy from configuration and says at start-up what it allows (never the tokens). */
public class AccessPolicyProducer {
    private static final Logger LOG = Logger.getLogger(AccessPolicyProducer.class);

    @Produces
    @Singleton
    AccessPolicy policy(StoreConfig config) {
        return new AccessPolicy(config.auth().pushToken(), config.auth().pullToken());
    }

    void announce(@Observes StartupEvent event, AccessPolicy policy) {
        if (!policy.pushAllowed()) {
            LOG.warn("no push token configured (skiff.store.auth.push-token): every push and delete is refused with 401");
        }
        LOG.infof("pull is %s", policy.pullAnonymous() ? "anonymous"
                : "token-protected (the pull token skiff.store.auth.pull-token, or the push token)");
    }
}
