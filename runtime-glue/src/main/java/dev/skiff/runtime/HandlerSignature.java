package dev.skiff.runtime;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What a handler class takes as input, read from its generic signature: the type argument {@code T}
 * of the {@code Function<T, R>} it implements, found through its interfaces and superclasses
 * (type variables bound by a subclass, as in {@code class H extends Base<byte[]>}, are followed).
 * A pure function of the class, so it is unit-tested without loading any jar.
 */
final class HandlerSignature {

    /** How the request body is handed to the handler. */
    enum Input {
        /** {@code Function<byte[], ?>}: the raw bytes. */
        BYTES,
        /** {@code Function<String, ?>}, a raw {@code Function}, or one over Object/CharSequence: UTF-8 text. */
        TEXT
    }

    private HandlerSignature() {
    }

    /**
     * The input the handler wants.
     *
     * @throws IllegalArgumentException if the class is not a {@code Function} or wants an input
     *                                  the glue cannot give (e.g. {@code Function<Integer, ?>})
     */
    static Input inputOf(Class<?> handler) {
        if (!Function.class.isAssignableFrom(handler)) {
            throw new IllegalArgumentException(handler.getName() + " does not implement java.util.function.Function");
        }
        Type argument = functionArgument(handler, Map.of());
        if (argument == null || argument instanceof TypeVariable<?> || argument instanceof WildcardType
                || argument == Object.class || argument == String.class || argument == CharSequence.class) {
            return Input.TEXT;
        }
        if (argument == byte[].class
                || argument instanceof GenericArrayType array && array.getGenericComponentType() == byte.class) {
            return Input.BYTES;
        }
        throw new IllegalArgumentException(handler.getName() + " takes " + argument.getTypeName()
                + "; a handler must be a Function<String, ?> or Function<byte[], ?>");
    }

    /** The first type argument of Function as seen from {@code type}, with bound variables replaced; null if absent. */
    private static Type functionArgument(Type type, Map<TypeVariable<?>, Type> outer) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length; i++) {
                bindings.put(variables[i], arguments[i] instanceof TypeVariable<?> v && outer.containsKey(v)
                        ? outer.get(v) : arguments[i]);
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
        } else {
            return null;
        }
        if (raw == Function.class) {
            return bindings.getOrDefault(Function.class.getTypeParameters()[0], Object.class);
        }
        if (!Function.class.isAssignableFrom(raw)) {
            return null;
        }
        for (Type parent : raw.getGenericInterfaces()) {
            Type found = functionArgument(parent, bindings);
            if (found != null) {
                return found;
            }
        }
        Type parent = raw.getGenericSuperclass();
        return parent == null ? null : functionArgument(parent, bindings);
    }
}
