package dev.skiff.agent.api;

import dev.skiff.agent.pool.PoolManager;
import dev.skiff.contracts.InstanceView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;

/** The instances on this node. */
@Path("/v1/instances")
public class InstanceResource {
    private final PoolManager pools;

    InstanceResource(PoolManager pools) {
        this.pools = pools;
    }

    /** Every instance on this node, with its state and counters. */
    @GET
    public List<InstanceView> instances() {
        return pools.instances();
    }
}
