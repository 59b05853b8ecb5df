package dev.skiff.store.auth;

import static dev.skiff.store.auth.AccessPolicy.Decision.ALLOWED;
import static dev.skiff.store.auth.AccessPolicy.Decision.DENIED;
import static dev.skiff.store.auth.AccessPolicy.Decision.UNAUTHORIZED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static final Optional<String> NONE = Optional.empty();
    private static final Optional<String> PUSH = Optional.of("push-token");
    private static final Optional<String> PULL = Optional.of("pull-token");
    private static final Optional<String> WRONG = Optional.of("push-tokeN");

    @Test
    void withOnlyAPushTokenPullIsAnonymousAndPushNeedsTheToken() {
        AccessPolicy policy = new AccessPolicy(PUSH, NONE);

        assertEquals(ALLOWED, policy.decide(Access.PULL, NONE));
        assertEquals(ALLOWED, policy.decide(Access.PULL, WRONG));
        assertEquals(ALLOWED, policy.decide(Access.PUSH, PUSH));
        assertEquals(UNAUTHORIZED, policy.decide(Access.PUSH, NONE));
        assertEquals(UNAUTHORIZED, policy.decide(Access.PUSH, WRONG));
    }

    @Test
    void probeAsksForCredentialsWheneverATokenIsConfigured() {
        assertEquals(UNAUTHORIZED, new AccessPolicy(PUSH, NONE).decide(Access.PROBE, NONE));
        assertEquals(ALLOWED, new AccessPolicy(PUSH, NONE).decide(Access.PROBE, PUSH));
        assertEquals(ALLOWED, new AccessPolicy(PUSH, PULL).decide(Access.PROBE, PULL));
        assertEquals(ALLOWED, new AccessPolicy(NONE, NONE).decide(Access.PROBE, NONE));
    }

    @Test
    void withAPullTokenPullNeedsThePullOrThePushToken() {
        AccessPolicy policy = new AccessPolicy(PUSH, PULL);

        assertEquals(ALLOWED, policy.decide(Access.PULL, PULL));
        assertEquals(ALLOWED, policy.decide(Access.PULL, PUSH));
        assertEquals(UNAUTHORIZED, policy.decide(Access.PULL, NONE));
        assertEquals(UNAUTHORIZED, policy.decide(Access.PULL, WRONG));
    }

    @Test
    void pullTokenUsedToPushIsDenied() {
        assertEquals(DENIED, new AccessPolicy(PUSH, PULL).decide(Access.PUSH, PULL));
    }

    @Test
    void withoutAPushTokenEveryPushIsUnauthorized() {
        AccessPolicy policy = new AccessPolicy(NONE, NONE);

        assertEquals(UNAUTHORIZED, policy.decide(Access.PUSH, NONE));
        assertEquals(UNAUTHORIZED, policy.decide(Access.PUSH, PUSH));
        assertEquals(ALLOWED, policy.decide(Access.PULL, NONE));
    }

    @Test
    void blankConfiguredTokensCountAsAbsent() {
        AccessPolicy policy = new AccessPolicy(Optional.of("  "), Optional.of(""));

        assertEquals(false, policy.pushAllowed());
        assertEquals(true, policy.pullAnonymous());
        assertEquals(UNAUTHORIZED, policy.decide(Access.PUSH, Optional.of("  ")));
    }
}
