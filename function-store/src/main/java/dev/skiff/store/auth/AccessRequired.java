package dev.skiff.store.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The access a REST resource method (or every method of a class) needs. A resource method
 * without it needs {@link Access#PUSH}: forgetting it can lock a client out, never let one in.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AccessRequired {
    Access value();
}
