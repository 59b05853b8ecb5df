package dev.skiff.store.api;

import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessRequired;
import dev.skiff.store.gc.GarbageCollector;
import dev.skiff.store.gc.GcReport;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Operator actions outside the registry API; each needs the push token. */
@Path("/admin")
@Blocking
@AccessRequired(Access.PUSH)
public class AdminResource {
    private final GarbageCollector collector;

    AdminResource(GarbageCollector collector) {
        this.collector = collector;
    }

    /** Runs garbage collection now and answers what it deleted. */
    @POST
    @Path("gc")
    @Produces(MediaType.APPLICATION_JSON)
    public GcReport collectGarbage() {
        return collector.collect();
    }
}
