package dev.skiff.agent.api;

import dev.skiff.agent.pool.PoolManager;
import dev.skiff.contracts.FunctionStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;

/**
 * Per function on this node: instances by state; average, standard deviation, 95th percentile
 * and maximum of init (boot) and execution times; cold and warm starts; CPU seconds and
 * memory-byte-seconds used (the billing model).
 */
@Path("/v1/stats")
public class StatsResource {
    private final PoolManager pools;

    StatsResource(PoolManager pools) {
        this.pools = pools;
    }

    @GET
    public List<FunctionStats> stats() {
        return pools.stats();
    }
}
