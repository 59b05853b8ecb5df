package dev.skiff.store.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Decides whether a presented token grants an access. Pure: built from the configured tokens,
 * which it keeps only as SHA-256 hashes and compares in constant time (hashing first makes the
 * comparison independent of the tokens' lengths too).
 */
public final class AccessPolicy {
    private final byte[] pushToken;
    private final byte[] pullToken;

    /** What a request may do. */
    public enum Decision {
        ALLOWED,
        /** No credential, or one that is no configured token: 401 with the challenge. */
        UNAUTHORIZED,
        /** A valid token that lacks the right (the pull token used to push): 403. */
        DENIED
    }

    public AccessPolicy(Optional<String> pushToken, Optional<String> pullToken) {
        this.pushToken = pushToken.map(String::strip).filter(t -> !t.isEmpty()).map(AccessPolicy::hash).orElse(null);
        this.pullToken = pullToken.map(String::strip).filter(t -> !t.isEmpty()).map(AccessPolicy::hash).orElse(null);
    }

    public boolean pushAllowed() {
        return pushToken != null;
    }

    public boolean pullAnonymous() {
        return pullToken == null;
    }

    /** Whether {@code presented} (the token from the request, if any) grants {@code access}. */
    public Decision decide(Access access, Optional<String> presented) {
        byte[] hash = presented.map(AccessPolicy::hash).orElse(null);
        boolean pusher = matches(pushToken, hash);
        boolean puller = matches(pullToken, hash);
        return switch (access) {
            case PULL -> pullAnonymous() || pusher || puller ? Decision.ALLOWED : Decision.UNAUTHORIZED;
            case PUSH -> pusher ? Decision.ALLOWED : puller ? Decision.DENIED : Decision.UNAUTHORIZED;
            case PROBE -> (pullAnonymous() && !pushAllowed()) || pusher || puller ? Decision.ALLOWED : Decision.UNAUTHORIZED;
        };
    }

    private static boolean matches(byte[] configured, byte[] presented) {
        return configured != null && presented != null && MessageDigest.isEqual(configured, presented);
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks SHA-256", e);
        }
    }
}
