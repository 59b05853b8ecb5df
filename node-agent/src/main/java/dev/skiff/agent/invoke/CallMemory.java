package dev.skiff.agent.invoke;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.AgentException;
import dev.skiff.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The node's memory of calls by id, which makes a call that is sent again with the same id (an
 * async call that the gateway taking over from a dead one delivers again) run once on this node:
 * <ul>
 * <li>while the call runs, a repeat waits for the run's end and gets its answer ({@link #JOINED});</li>
 * <li>once it ended, its answer (or failure) is kept for the configured retention, and a repeat
 * gets it again ({@link #REPLAYED}); a body larger than the configured limit is not kept, only
 * the status and headers ({@code status-only});</li>
 * <li>a run that ended before the call was sent to an instance (no instance could start, the
 * queue was full, the node had no room) is forgotten: the function never ran, so a repeat runs it.</li>
 * </ul>
 * Kept answers are bounded in count and bytes; the oldest are forgotten first. A repeat that comes
 * after its answer was forgotten, or after the agent restarted, runs the call again.
 */
@ApplicationScoped
public class CallMemory {
    private static final Logger LOG = Logger.getLogger(CallMemory.class);
    /** {@code X-Skiff-Call-Replay}: the repeat waited for the run in flight. */
    public static final String JOINED = "joined";
    /** {@code X-Skiff-Call-Replay}: the repeat got the answer kept from a finished run. */
    public static final String REPLAYED = "replayed";
    /** Bytes counted for a kept answer beside its body: key, headers, bookkeeping. */
    static final long ENTRY_BYTES = 512;

    /** The bounds of the memory. */
    public record Limits(Duration retention, int maxEntries, long maxBytes, long maxBodyBytes) {
    }

    /** One run of a call; it tells {@code delivered} once the call is sent to an instance (the function may run from then on). */
    @FunctionalInterface
    public interface Run {
        Uni<Outcome> start(Runnable delivered);
    }

    /** A call in flight: repeats wait for its end. */
    private static final class Running {
        final CompletableFuture<Outcome> end = new CompletableFuture<>();
        volatile boolean delivered;
    }

    /** A finished call's answer, or the failure that ended it after it reached an instance. */
    private record Kept(Outcome outcome, ProblemException failure, long bytes, Instant expires) {
    }

    private final Limits limits;
    private final Clock clock;
    /** Guarded by this. */
    private final Map<String, Running> running = new HashMap<>();
    /** Guarded by this; in the order the calls finished, so the eldest expires first. */
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>();
    /** Guarded by this. */
    private long keptBytes;

    @Inject
    CallMemory(AgentConfig config, Clock clock) {
        this(new Limits(config.calls().retention(), config.calls().maxEntries(), config.calls().maxBytes(),
                config.calls().maxBodyBytes()), clock);
    }

    CallMemory(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Runs a call of a function once per id: the first request for the id starts {@code run}; a
     * repeat gets the same answer, marked with how it got it ({@link Outcome#replay()}, or the
     * {@code X-Skiff-Call-Replay} header of a repeated failure). The run goes on to its end even
     * when its requester stops waiting, so that a repeat can have its answer.
     */
    public Uni<Outcome> once(String function, String callId, Run run) {
        return Uni.createFrom().deferred(() -> answer(function + "/" + callId, run));
    }

    /** Finished calls whose answers are kept now. */
    synchronized int kept() {
        expire(clock.instant());
        return kept.size();
    }

    private Uni<Outcome> answer(String key, Run run) {
        Running mine;
        synchronized (this) {
            expire(clock.instant());
            Kept done = kept.get(key);
            if (done != null) {
                LOG.debugf("call %s: answer replayed", key);
                return done.failure() != null
                        ? Uni.createFrom().failure(AgentException.repeated(done.failure(), REPLAYED))
                        : Uni.createFrom().item(done.outcome());
            }
            Running other = running.get(key);
            if (other != null) {
                LOG.debugf("call %s: repeat waits for the run in flight", key);
                return Uni.createFrom().completionStage(other.end.copy())
                        .map(outcome -> outcome.as(JOINED))
                        .onFailure(ProblemException.class).transform(e -> AgentException.repeated((ProblemException) e, JOINED));
            }
            mine = new Running();
            running.put(key, mine);
        }
        Uni<Outcome> started;
        try {
            started = run.start(() -> mine.delivered = true);
        } catch (RuntimeException e) {
            started = Uni.createFrom().failure(e);
        }
        started.subscribe().with(outcome -> finish(key, mine, outcome, null), failure -> finish(key, mine, null, failure));
        return Uni.createFrom().completionStage(mine.end.copy());
    }

    /** The run ended: keep its answer when the call reached an instance, then answer those waiting. */
    private void finish(String key, Running run, Outcome outcome, Throwable failure) {
        synchronized (this) {
            running.remove(key);
            if (run.delivered && (outcome != null || failure instanceof ProblemException)) {
                keep(key, outcome, failure instanceof ProblemException problem ? problem : null);
            }
        }
        if (outcome != null) {
            run.end.complete(outcome);
        } else {
            run.end.completeExceptionally(failure);
        }
    }

    private void keep(String key, Outcome outcome, ProblemException failure) {
        Instant now = clock.instant();
        Outcome stored = null;
        long bytes = ENTRY_BYTES;
        if (outcome != null) {
            long body = outcome.result().body().length();
            stored = body > limits.maxBodyBytes() ? outcome.withoutBody() : outcome.as(REPLAYED);
            bytes += stored.result().body().length();
        } else {
            bytes += String.valueOf(failure.getMessage()).length();
        }
        Kept previous = kept.remove(key);
        if (previous != null) {
            keptBytes -= previous.bytes();
        }
        kept.put(key, new Kept(stored, failure, bytes, now.plus(limits.retention())));
        keptBytes += bytes;
        Iterator<Kept> eldest = kept.values().iterator();
        while (eldest.hasNext() && (kept.size() > limits.maxEntries() || keptBytes > limits.maxBytes())) {
            keptBytes -= eldest.next().bytes();
            eldest.remove();
        }
    }

    /** Forgets answers past their retention (the eldest come first). */
    private void expire(Instant now) {
        Iterator<Kept> eldest = kept.values().iterator();
        while (eldest.hasNext()) {
            Kept next = eldest.next();
            if (next.expires().isAfter(now)) {
                return;
            }
            keptBytes -= next.bytes();
            eldest.remove();
        }
    }
}
