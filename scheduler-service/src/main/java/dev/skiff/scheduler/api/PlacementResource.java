package dev.skiff.scheduler.api;

import dev.skiff.contracts.Placement;
import dev.skiff.contracts.PlacementRequest;
import dev.skiff.scheduler.placement.PlacementService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Asks where a new instance should run. Called by the gateway only when no node has a free slot. */
@Path("/v1/placements")
public class PlacementResource {
    private final PlacementService placements;

    PlacementResource(PlacementService placements) {
        this.placements = placements;
    }

    @POST
    public Placement place(@NotNull @Valid PlacementRequest request) {
        return placements.place(request);
    }
}
