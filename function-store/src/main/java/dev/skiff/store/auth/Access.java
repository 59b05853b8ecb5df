package dev.skiff.store.auth;

/** What a request does, hence which credential it needs. */
public enum Access {
    /** Reading content: anonymous unless a pull token is configured, then the pull or the push token. */
    PULL,
    /** Writing or deleting content, and administration: the push token only. */
    PUSH,
    /**
     * The API version check clients send first ({@code GET /v2/}): it needs a valid credential
     * whenever any token is configured, so that clients learn the challenge there (skopeo takes
     * its authentication scheme from this answer only).
     */
    PROBE
}
