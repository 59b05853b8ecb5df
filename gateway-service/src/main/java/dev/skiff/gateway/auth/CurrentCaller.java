package dev.skiff.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the request being served, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentCaller {
    private Caller caller = Caller.OPEN;

    public Caller get() {
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
