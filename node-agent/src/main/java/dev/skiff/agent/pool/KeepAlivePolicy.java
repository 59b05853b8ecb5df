package dev.skiff.agent.pool;

import dev.skiff.contracts.FunctionSpec;
import java.time.Duration;

/**
 * Decides how long an idle instance is kept warm. The fixed timeout is the default; an adaptive
 * policy (from the function's observed idle-time distribution) plugs in here.
 */
public interface KeepAlivePolicy {

    /** How long an idle instance of this function may stay alive. */
    Duration keepAlive(FunctionSpec spec);
}
