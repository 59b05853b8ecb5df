package dev.skiff.agent.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.skiff.agent.MutableClock;
import dev.skiff.agent.AgentException;
import dev.skiff.common.ProblemException;
import dev.skiff.contracts.Headers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallMemoryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final CallMemory.Limits LIMITS = new CallMemory.Limits(Duration.ofMinutes(10), 100, 1_000_000, 10_000);

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger runs = new AtomicInteger();

    /** A run that reaches an instance and answers 200 with this body at once. */
    private CallMemory.Run answering(String body) {
        return delivered -> {
            runs.incrementAndGet();
            delivered.run();
            return Uni.createFrom().item(outcome(200, body));
        };
    }

    private static Outcome outcome(int status, String body) {
        return new Outcome(new CallResult(status, "text/plain", Buffer.buffer(body), null, "0.1"), "i-1", false, Duration.ofMillis(100), null);
    }

    private static Outcome await(Uni<Outcome> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem(WAIT).getItem();
    }

    private static Throwable awaitFailure(Uni<Outcome> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT).getFailure();
    }

    @Test
    void aRepeatWhileTheCallRunsWaitsForItsAnswerInsteadOfRunningIt() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        CallMemory.Run slow = delivered -> {
            runs.incrementAndGet();
            delivered.run();
            return Uni.createFrom().completionStage(answer);
        };
        UniAssertSubscriber<Outcome> first = memory.once("fn", "c1", slow).subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<Outcome> repeat = memory.once("fn", "c1", slow).subscribe().withSubscriber(UniAssertSubscriber.create());
        first.assertNotTerminated();
        repeat.assertNotTerminated();

        answer.complete(outcome(200, "done once"));

        assertEquals("done once", first.awaitItem(WAIT).getItem().result().body().toString());
        assertNull(first.getItem().replay(), "the first request ran the call");
        assertEquals("done once", repeat.awaitItem(WAIT).getItem().result().body().toString());
        assertEquals(CallMemory.JOINED, repeat.getItem().replay());
        assertEquals(1, runs.get());
    }

    @Test
    void aRepeatAfterTheCallEndedGetsTheKeptAnswer() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        await(memory.once("fn", "c1", answering("first")));
        clock.advance(Duration.ofMinutes(9));

        Outcome again = await(memory.once("fn", "c1", answering("second")));

        assertEquals(1, runs.get());
        assertEquals(200, again.result().status());
        assertEquals("first", again.result().body().toString());
        assertEquals("i-1", again.instanceId());
        assertEquals(CallMemory.REPLAYED, again.replay());
    }

    @Test
    void keptAnswersAreForgottenAfterTheRetention() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        await(memory.once("fn", "c1", answering("first")));
        clock.advance(Duration.ofMinutes(10));

        Outcome again = await(memory.once("fn", "c1", answering("second")));

        assertEquals(2, runs.get());
        assertEquals("second", again.result().body().toString());
        assertNull(again.replay());
    }

    @Test
    void callsAreToldApartByFunctionAndId() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        await(memory.once("fn", "c1", answering("a")));
        await(memory.once("fn", "c2", answering("b")));
        await(memory.once("other", "c1", answering("c")));
        assertEquals(3, runs.get());
    }

    @Test
    void theOldestAnswersAreForgottenBeyondMaxEntries() {
        CallMemory memory = new CallMemory(new CallMemory.Limits(Duration.ofMinutes(10), 2, 1_000_000, 10_000), clock);
        await(memory.once("fn", "c1", answering("1")));
        await(memory.once("fn", "c2", answering("2")));
        await(memory.once("fn", "c3", answering("3")));
        assertEquals(2, memory.kept());

        assertEquals(CallMemory.REPLAYED, await(memory.once("fn", "c3", answering("x"))).replay());
        assertEquals(CallMemory.REPLAYED, await(memory.once("fn", "c2", answering("x"))).replay());
        assertEquals(3, runs.get());
        assertNull(await(memory.once("fn", "c1", answering("x"))).replay(), "the eldest was forgotten: it runs again");
        assertEquals(4, runs.get());
    }

    @Test
    void theOldestAnswersAreForgottenBeyondMaxBytes() {
        long room = 2 * (CallMemory.ENTRY_BYTES + 1000);
        CallMemory memory = new CallMemory(new CallMemory.Limits(Duration.ofMinutes(10), 100, room, 10_000), clock);
        String body = "x".repeat(1000);
        await(memory.once("fn", "c1", answering(body)));
        await(memory.once("fn", "c2", answering(body)));
        assertEquals(2, memory.kept());

        await(memory.once("fn", "c3", answering(body)));

        assertEquals(2, memory.kept());
        assertNull(await(memory.once("fn", "c1", answering(body))).replay(), "the eldest made room");
    }

    @Test
    void aBodyTooLargeToKeepIsReplayedAsStatusOnly() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        String big = "y".repeat(10_001);
        Outcome first = await(memory.once("fn", "c1", answering(big)));
        assertEquals(big, first.result().body().toString(), "the run's own answer is whole");

        Outcome again = await(memory.once("fn", "c1", answering("other")));

        assertEquals(1, runs.get());
        assertEquals(200, again.result().status());
        assertEquals(0, again.result().body().length());
        assertEquals(Headers.REPLAY_STATUS_ONLY, again.replay());
    }

    @Test
    void aFailureAfterTheCallReachedAnInstanceIsReplayed() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        CallMemory.Run failing = delivered -> {
            runs.incrementAndGet();
            delivered.run();
            return Uni.createFrom().failure(AgentException.functionFailed("fn", "exit status 3"));
        };
        awaitFailure(memory.once("fn", "c1", failing));

        Throwable again = awaitFailure(memory.once("fn", "c1", failing));

        assertEquals(1, runs.get());
        ProblemException problem = (ProblemException) again;
        assertEquals(502, problem.status());
        assertEquals("Function failed", problem.title());
        assertEquals(CallMemory.REPLAYED, problem.headers().get(Headers.CALL_REPLAY));
    }

    @Test
    void aCallThatNeverReachedAnInstanceIsForgottenSoARepeatRunsIt() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        CallMemory.Run noRoom = delivered -> {
            runs.incrementAndGet();
            return Uni.createFrom().failure(AgentException.nodeFull("fn"));
        };
        awaitFailure(memory.once("fn", "c1", noRoom));

        Outcome again = await(memory.once("fn", "c1", answering("ran")));

        assertEquals(2, runs.get());
        assertEquals("ran", again.result().body().toString());
        assertNull(again.replay());
    }

    @Test
    void withoutASubscriberNothingRuns() {
        CallMemory memory = new CallMemory(LIMITS, clock);
        memory.once("fn", "c1", answering("never"));
        assertEquals(0, runs.get());
    }
}
