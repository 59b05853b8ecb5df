package dev.skiff.scheduler.api;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.Heartbeat;
import dev.skiff.contracts.NodeView;
import dev.skiff.scheduler.nodes.NodeRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Node registration and heartbeats (agents), and the scheduler's view of nodes and functions. */
@Path("/v1")
public class NodeResource {
    private final NodeRegistry registry;

    NodeResource(NodeRegistry registry) {
        this.registry = registry;
    }

    /** Registers a node or records its heartbeat: 201 the first time, 200 afterwards. */
    @PUT
    @Path("/nodes/{nodeId}")
    public Response heartbeat(@PathParam("nodeId") String nodeId, @NotNull @Valid Heartbeat heartbeat) {
        if (!nodeId.equals(heartbeat.nodeId())) {
            throw new NodeIdMismatchException(nodeId, heartbeat.nodeId());
        }
        return Response.status(registry.heartbeat(heartbeat) ? 201 : 200).build();
    }

    @GET
    @Path("/nodes")
    public List<NodeView> nodes() {
        return registry.nodes();
    }

    /** Instance counts per function over the nodes that are up. */
    @GET
    @Path("/functions")
    public List<FunctionInstances> functions() {
        return registry.functions();
    }
}
