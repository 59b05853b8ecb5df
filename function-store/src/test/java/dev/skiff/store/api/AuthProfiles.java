package dev.skiff.store.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Test profiles for the other ways credentials can be configured. */
final class AuthProfiles {
    /** The pull token of {@link PullToken}. */
    static final String PULL_TOKEN = "test-pull-token";

    private AuthProfiles() {
    }

    /** Pulling needs a token too. */
    public static class PullToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("skiff.store.auth.pull-token", PULL_TOKEN);
        }
    }

    /** No token at all: the store is read-only. */
    public static class NoPushToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("skiff.store.auth.push-token", "");
        }
    }
}
