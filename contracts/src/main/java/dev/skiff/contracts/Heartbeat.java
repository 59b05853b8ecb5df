package dev.skiff.contracts;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What a node agent tells the scheduler, at registration and then periodically.
 *
 * @param nodeId    stable id of the node
 * @param url       base URL of the agent's API
 * @param capacity  what the node offers
 * @param functions instance counts per function version
 * @param reserved  memory and CPU its instances hold now
 * @param cached    digests of the function versions whose artefacts the node has cached
 */
public record Heartbeat(
        @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String nodeId,
        @NotBlank @Pattern(regexp = "https?://\\S+") String url,
        @NotNull @Valid NodeCapacity capacity,
        List<@Valid @NotNull FunctionInstances> functions,
        @Valid Reserved reserved,
        @Size(max = 100_000) List<@NotNull String> cached) {
    public Heartbeat {
        functions = functions == null ? List.of() : List.copyOf(functions);
        reserved = reserved == null ? new Reserved(0, 0) : reserved;
        cached = cached == null ? List.of() : List.copyOf(cached);
    }

    /** What a node's instances hold of its capacity. */
    public record Reserved(@PositiveOrZero long memoryBytes, @PositiveOrZero long cpuMillis) {
    }
}
