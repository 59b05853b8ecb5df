package dev.skiff.gateway.auth;

import dev.skiff.gateway.functions.DeployedFunction;
import dev.skiff.gateway.functions.FunctionCatalog;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The management API ({@code /system/...}) needs credentials when auth is on; calls naming a
 * function of another namespace in their path are answered as if it did not exist. Invocations
 * ({@code /function/...}, {@code /async-function/...}) are public, unless the function has the
 * label {@value #INVOKE_AUTH}{@code =true}: then they need credentials of its namespace.
 */
public class AuthFilter {
    /** The label that makes a function's invocation need credentials. */
    public static final String INVOKE_AUTH = "skiff.dev/invoke-auth";
    private static final Pattern NAMED = Pattern.compile("^/system/(?:function|scale-function|code)/([^/]+)");
    private static final Pattern INVOKED = Pattern.compile("^/(?:async-)?function/([^/]+)");

    private final Authenticator authenticator;
    private final CurrentCaller current;
    private final FunctionCatalog catalog;

    AuthFilter(Authenticator authenticator, CurrentCaller current, FunctionCatalog catalog) {
        this.authenticator = authenticator;
        this.current = current;
        this.catalog = catalog;
    }

    @ServerRequestFilter
    public void authorize(ContainerRequestContext request) {
        if (!authenticator.enabled()) {
            return;
        }
        String path = request.getUriInfo().getPath();
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (path.startsWith("/system/")) {
            Caller caller = authenticator.authenticate(authorization);
            current.set(caller);
            Matcher named = NAMED.matcher(path);
            if (named.find() && !caller.admin()) {
                DeployedFunction function = catalog.find(named.group(1));
                if (function != null && !caller.mayUse(Namespaces.of(function.spec()))) {
                    throw path.startsWith("/system/code/")
                            ? AuthException.forbidden("the name '" + named.group(1) + "' belongs to another namespace")
                            : dev.skiff.gateway.GatewayException.notFound(named.group(1));
                }
            }
            return;
        }
        Matcher invoked = INVOKED.matcher(path);
        if (invoked.find()) {
            DeployedFunction function = catalog.find(invoked.group(1));
            if (function != null && "true".equals(function.spec().labels().get(INVOKE_AUTH))) {
                Caller caller = authenticator.authenticate(authorization);
                if (!caller.mayUse(Namespaces.of(function.spec()))) {
                    throw AuthException.forbidden("these credentials may not invoke functions of namespace "
                            + Namespaces.of(function.spec()));
                }
            }
        }
    }
}
