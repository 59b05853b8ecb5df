package dev.skiff.gateway.auth;

import dev.skiff.contracts.FunctionSpec;

/** A function's namespace: its {@value #ANNOTATION} annotation, {@code default} when absent. */
public final class Namespaces {
    /** Where a function version's spec keeps its namespace. */
    public static final String ANNOTATION = dev.skiff.contracts.Names.NAMESPACE_ANNOTATION;

    private Namespaces() {
    }

    public static String of(FunctionSpec spec) {
        return FunctionSpec.namespaceOf(spec);
    }
}
