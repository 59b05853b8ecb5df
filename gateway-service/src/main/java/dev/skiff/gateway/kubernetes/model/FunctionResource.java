package dev.skiff.gateway.kubernetes.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Function resource ({@code functions.skiff.dev/v1}, kind {@code Function}): a user's wish that
 * a function of the resource's name be deployed with this spec. Its schema is
 * {@code deploy/kubernetes/crd/functions.skiff.dev.yaml}; the two are kept in step by a test.
 */
@Group(FunctionResource.GROUP)
@Version(FunctionResource.VERSION)
@Kind(FunctionResource.KIND)
@Plural(FunctionResource.PLURAL)
@Singular("function")
public class FunctionResource extends CustomResource<FunctionResourceSpec, FunctionResourceStatus> implements Namespaced {
    public static final String GROUP = "skiff.dev";
    public static final String VERSION = "v1";
    public static final String KIND = "Function";
    public static final String PLURAL = "functions";
    /** The finalizer that keeps a deleted Function until its function is removed from the platform. */
    public static final String FINALIZER = "functions.skiff.dev/finalizer";

    @Override
    protected FunctionResourceSpec initSpec() {
        return null;
    }

    @Override
    protected FunctionResourceStatus initStatus() {
        return null;
    }
}
