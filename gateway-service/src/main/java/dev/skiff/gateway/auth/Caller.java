package dev.skiff.gateway.auth;

/**
 * Who made a management call: an admin (every namespace) or a tenant of one namespace.
 *
 * @param namespace the tenant's namespace; for an admin, the namespace its deployments default to
 * @param admin     whether it may see and change every namespace
 */
public record Caller(String namespace, boolean admin) {
    /** The namespace of functions deployed without one. */
    public static final String DEFAULT_NAMESPACE = dev.skiff.contracts.Names.DEFAULT_NAMESPACE;
    /** Everyone, when auth is off. */
    public static final Caller OPEN = new Caller(DEFAULT_NAMESPACE, true);

    /** Whether this caller may see and change functions of a namespace. */
    public boolean mayUse(String functionNamespace) {
        return admin || namespace.equals(functionNamespace);
    }
}
