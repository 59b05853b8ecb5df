package dev.skiff.agent.invoke;

import dev.skiff.contracts.Headers;
import io.vertx.mutiny.core.buffer.Buffer;
import java.time.Duration;

/**
 * What a call got: the function's answer, the instance that served it, whether that instance was
 * booted for it (cold), the time in the instance, and whether the answer is a replay.
 *
 * @param result     the instance's answer
 * @param instanceId the instance that served the call
 * @param cold       whether the call waited for the instance to boot
 * @param inInstance time from sending the call to the instance until its answer
 * @param replay     null when this request ran the call; else how an earlier run's answer was
 *                   given again: {@link CallMemory#JOINED}, {@link CallMemory#REPLAYED} or
 *                   {@link Headers#REPLAY_STATUS_ONLY}
 */
public record Outcome(CallResult result, String instanceId, boolean cold, Duration inInstance, String replay) {

    /** The same answer, marked as given again. */
    Outcome as(String replay) {
        return new Outcome(result, instanceId, cold, inInstance, replay);
    }

    /** The same answer without its body (nor its Content-Type), marked {@link Headers#REPLAY_STATUS_ONLY}. */
    Outcome withoutBody() {
        return new Outcome(new CallResult(result.status(), null, Buffer.buffer(), result.functionError(),
                result.durationSeconds()), instanceId, cold, inInstance, Headers.REPLAY_STATUS_ONLY);
    }
}
