package dev.skiff.gateway.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.common.ProblemException;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.functions.FunctionCatalog;
import dev.skiff.gateway.routing.InvocationProxy;
import dev.skiff.gateway.routing.RoutingTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Asynchronous calls, as OpenFaaS has them: {@code POST /async-function/{name}} is answered 202 with
 * an {@code X-Call-Id} once the call is stored in a NATS JetStream stream (file storage, work-queue
 * retention: a call leaves it when a worker acknowledges it). Workers of every gateway pull calls
 * from one durable consumer and run each through the same path as a synchronous call; the answer
 * goes to the caller's {@code X-Callback-Url}, and the call's status to a JetStream key-value bucket
 * readable at {@code GET /system/async-calls/{id}}.
 *
 * <p>Delivery: a call is acknowledged only after its outcome is recorded, so a gateway that dies
 * loses no accepted call (its calls are delivered again after the ack wait). A redelivered call whose
 * status says it finished is acknowledged without running. Each run is sent to a node with the
 * call's id, and the node is written into the call's status before it is sent: a redelivered call
 * goes to that node first, which runs a call id once (it joins the run in flight or answers from
 * the finished one). So a call runs once per acceptance, unless the node lost it too (the node
 * died or restarted: the run was cut, and the call runs again), or the node's memory of it expired.
 * Runs that never reached the function are retried with doubling delays up to {@code max-attempts};
 * then the call is failed.
 */
@ApplicationScoped
public class AsyncCalls {
    private static final Logger LOG = Logger.getLogger(AsyncCalls.class);
    static final String STREAM = "SKIFF_CALLS";
    static final String SUBJECTS = "skiff.calls.*";
    static final String CONSUMER = "skiff-gateway";
    static final String STATUS_BUCKET = "SKIFF_CALL_STATUS";
    private static final String CALL_ID = "X-Call-Id";
    private static final String CALLBACK = "X-Callback-Url";
    private static final String PATH = "X-Skiff-Call-Path";
    private static final String QUERY = "X-Skiff-Call-Query";
    private static final String CONTENT_TYPE = "Content-Type";
    private static final String ACCEPTED_AT = "X-Skiff-Accepted-At";

    private final AsyncConfig config;
    private final InvocationProxy proxy;
    private final FunctionCatalog catalog;
    private final RoutingTable routing;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final RetryPolicy retry;
    private final Callbacks callbacks;
    private volatile Connection connection;
    private volatile JetStream jetStream;
    private volatile KeyValue statuses;
    private volatile boolean stopping;
    private ExecutorService workers;
    private ScheduledExecutorService ticker;

    AsyncCalls(AsyncConfig config, InvocationProxy proxy, FunctionCatalog catalog, RoutingTable routing, ObjectMapper json,
            MeterRegistry meters) {
        this.config = config;
        this.proxy = proxy;
        this.catalog = catalog;
        this.routing = routing;
        this.json = json;
        this.meters = meters;
        this.retry = new RetryPolicy(Math.max(1, config.maxAttempts()), config.initialBackoff(), config.maxBackoff());
        this.callbacks = new Callbacks(config.callbackTimeout());
    }

    void start(@Observes StartupEvent event) {
        config.natsUrl().ifPresent(url -> daemon("nats-connect", () -> connectAndServe(url)));
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (workers != null) {
            workers.shutdown();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticker.shutdownNow();
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Accepts a call: stored durably before this returns its id. Blocking. */
    public String accept(String function, String path, String query, String contentType, String callbackUrl, byte[] body) {
        JetStream js = jetStream;
        if (js == null) {
            throw notConnected();
        }
        if (body.length > config.maxBodyBytes()) {
            throw GatewayException.tooLarge("an async call's body may have at most " + config.maxBodyBytes() + " bytes, not " + body.length);
        }
        if (callbackUrl != null) {
            String invalid = Callbacks.invalid(callbackUrl);
            if (invalid != null) {
                throw GatewayException.invalid(CALLBACK, CALLBACK + " " + invalid);
            }
        }
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        Headers headers = new Headers().add(CALL_ID, id).add(PATH, path).add(ACCEPTED_AT, Long.toString(now));
        if (query != null && !query.isEmpty()) {
            headers.add(QUERY, query);
        }
        if (contentType != null) {
            headers.add(CONTENT_TYPE, contentType);
        }
        if (callbackUrl != null) {
            headers.add(CALLBACK, callbackUrl);
        }
        try {
            js.publish("skiff.calls." + function, headers, body, PublishOptions.builder().messageId(id).expectedStream(STREAM).build());
        } catch (IOException | JetStreamApiException e) {
            throw GatewayException.unavailable("call queue", "the call was not stored: " + e.getMessage());
        }
        record(new CallStatus(id, function, CallStatus.QUEUED, 0, 0, null, 0, now, now, null));
        count(function, "accepted");
        return id;
    }

    /** The status of an accepted call. Blocking. */
    public Optional<CallStatus> status(String callId) {
        KeyValue kv = statuses;
        if (kv == null) {
            throw notConnected();
        }
        try {
            KeyValueEntry entry = kv.get(callId);
            return entry == null || entry.getValue() == null ? Optional.empty()
                    : Optional.of(json.readValue(entry.getValue(), CallStatus.class));
        } catch (IOException | JetStreamApiException e) {
            throw GatewayException.unavailable("call queue", "cannot read the call's status: " + e.getMessage());
        }
    }

    private GatewayException notConnected() {
        return GatewayException.unavailable("call queue", config.natsUrl()
                .map(url -> "not connected to NATS at " + url + " yet")
                .orElse("async calls need NATS JetStream (skiff.gateway.async.nats-url)"));
    }

    private void connectAndServe(String url) {
        Options options = new Options.Builder().server(url).connectionName("skiff-gateway").maxReconnects(-1)
                .connectionTimeout(Duration.ofSeconds(2)).build();
        for (int attempt = 1; !stopping; attempt++) {
            try {
                Connection c = Nats.connect(options);
                JetStreamManagement jsm = c.jetStreamManagement();
                ensureStream(jsm);
                ensureBucket(c);
                jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(CONSUMER)
                        .ackPolicy(AckPolicy.Explicit).ackWait(config.ackWait()).filterSubject(SUBJECTS)
                        .maxAckPending(1000).build());
                connection = c;
                statuses = c.keyValue(STATUS_BUCKET);
                jetStream = c.jetStream();
                LOG.infof("async calls: queue %s on %s, %d workers", STREAM, url, config.workers());
                serve(c);
                return;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                if (attempt == 1 || attempt % 30 == 0) {
                    LOG.warnf("async calls: cannot use NATS at %s (%s); trying again", url, e.getMessage());
                }
                sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        StreamConfiguration stream = StreamConfiguration.builder().name(STREAM).subjects(SUBJECTS)
                .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2)).build();
        if (jsm.getStreamNames().contains(STREAM)) {
            jsm.updateStream(stream);
        } else {
            jsm.addStream(stream);
        }
    }

    private void ensureBucket(Connection c) throws IOException, JetStreamApiException {
        if (!c.keyValueManagement().getBucketNames().contains(STATUS_BUCKET)) {
            c.keyValueManagement().create(KeyValueConfiguration.builder().name(STATUS_BUCKET).maxHistoryPerKey(1)
                    .ttl(config.statusRetention()).storageType(StorageType.File).build());
        }
    }

    /**
     * Pulls calls one at a time while a worker is free, and hands each to it; not before the gateway
     * can route them (its catalog loaded, a view of the nodes): a (re)started gateway would
     * otherwise answer its first calls 503 and spend their attempts before it is ready.
     */
    private void serve(Connection c) throws IOException, JetStreamApiException, InterruptedException {
        while (!stopping && !(catalog.loaded() && routing.hasView())) {
            Thread.sleep(100);
        }
        int size = Math.max(1, config.workers());
        workers = Executors.newFixedThreadPool(size, r -> thread("async-call", r));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> thread("async-ticker", r));
        Semaphore free = new Semaphore(size);
        JetStreamSubscription pull = c.jetStream().subscribe(SUBJECTS, PullSubscribeOptions.bind(STREAM, CONSUMER));
        while (!stopping) {
            free.acquire();
            List<Message> messages;
            try {
                messages = pull.fetch(1, Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                free.release();
                if (!stopping) {
                    LOG.warnf("async calls: fetch failed (%s)", e.getMessage());
                    sleep(1000);
                }
                continue;
            }
            if (messages.isEmpty()) {
                free.release();
                continue;
            }
            Message message = messages.get(0);
            workers.execute(() -> {
                try {
                    run(message);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "async call %s: not run, delivered again later", message.getHeaders().getFirst(CALL_ID));
                } finally {
                    free.release();
                }
            });
        }
    }

    /** Runs one delivery of a call and records its outcome before acknowledging it. */
    void run(Message message) {
        Headers headers = message.getHeaders();
        String id = headers.getFirst(CALL_ID);
        String function = message.getSubject().substring(message.getSubject().lastIndexOf('.') + 1);
        long acceptedAt = parseLong(headers.getFirst(ACCEPTED_AT));
        Optional<CallStatus> known = status(id);
        if (known.isPresent() && known.get().finished()) {
            message.ack(); // finished before a crash took the acknowledgement
            return;
        }
        int attempt = (int) message.metaData().deliveredCount();
        // the node the last run went to: it may still run the call, or hold its answer
        AtomicReference<String> node = new AtomicReference<>(known.map(CallStatus::node).orElse(null));
        record(new CallStatus(id, function, CallStatus.RUNNING, attempt, 0, null, 0, acceptedAt, System.currentTimeMillis(), node.get()));
        long tick = Math.max(100, config.ackWait().toMillis() / 3);
        ScheduledFuture<?> alive = ticker.scheduleAtFixedRate(message::inProgress, tick, tick, TimeUnit.MILLISECONDS);
        Outcome outcome;
        try {
            outcome = invoke(function, headers, message.getData(), new InvocationProxy.Tracking(id, node.get(),
                    target -> sendingTo(target, node, new CallStatus(id, function, CallStatus.RUNNING, attempt, 0, null, 0, acceptedAt,
                            System.currentTimeMillis(), target))));
        } finally {
            alive.cancel(false);
        }
        if (outcome.replay() != null) {
            LOG.infof("async call %s to %s: answered by node %s from its run of the call (%s), not run again", id, function,
                    node.get(), outcome.replay());
        }
        if (RetryPolicy.retryable(outcome.status(), outcome.title()) && retry.another(attempt)) {
            Duration delay = retry.backoff(attempt);
            // a node that answered "not run" holds nothing of the call; one that did not answer may be running it
            String next = outcome.fromNode() ? null : node.get();
            record(new CallStatus(id, function, CallStatus.RETRYING, attempt, outcome.status(), outcome.title() + ": " + outcome.detail(),
                    0, acceptedAt, System.currentTimeMillis(), next));
            count(function, "retried");
            LOG.infof("async call %s to %s: attempt %d failed (%d %s); again in %d ms", id, function, attempt, outcome.status(),
                    outcome.title(), delay.toMillis());
            message.nakWithDelay(delay);
            return;
        }
        boolean reached = !RetryPolicy.retryable(outcome.status(), outcome.title()) && outcome.status() != 404;
        String error = reached ? null : outcome.title() + ": " + outcome.detail();
        if (dev.skiff.contracts.Headers.REPLAY_STATUS_ONLY.equals(outcome.replay())) {
            error = "the answer's body is lost: the gateway that ran the call died, and the node kept only the answer's status (too large to keep)";
        }
        int callbackStatus = 0;
        String callback = headers.getFirst(CALLBACK);
        if (callback != null) {
            Callbacks.Delivery delivery = callbacks.post(callback, id, function, outcome.status(), outcome.contentType(), outcome.body());
            callbackStatus = delivery.status();
            if (delivery.error() != null) {
                error = error == null ? delivery.error() : error + "; " + delivery.error();
            }
        }
        record(new CallStatus(id, function, reached ? CallStatus.COMPLETED : CallStatus.FAILED, attempt, outcome.status(), error,
                callbackStatus, acceptedAt, System.currentTimeMillis(), node.get()));
        count(function, reached ? "completed" : "failed");
        message.ack();
    }

    /**
     * Before a run is sent to a node: the node goes into the call's status first (a worker thread
     * writes it), so that whoever delivers the call next finds it there. Unless it is written, the
     * run is not sent (503, tried again later).
     */
    private Uni<Void> sendingTo(String target, AtomicReference<String> node, CallStatus running) {
        return Uni.createFrom().item(() -> {
            if (!target.equals(node.get())) {
                try {
                    statuses.put(running.callId(), json.writeValueAsBytes(running));
                } catch (IOException | JetStreamApiException e) {
                    throw GatewayException.unavailable("call queue", "the call's node was not recorded, so it was not sent: " + e.getMessage());
                }
                node.set(target);
            }
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    /**
     * What one run gave: the answer, or the problem that stopped it; whether a node gave it (not the
     * gateway), and whether that node gave it again from an earlier run of the call ({@code X-Skiff-Call-Replay}).
     */
    record Outcome(int status, String title, String detail, String contentType, byte[] body, boolean fromNode, String replay) {
    }

    private Outcome invoke(String function, Headers headers, byte[] body, InvocationProxy.Tracking tracking) {
        try {
            Response response = proxy.invoke(function, "POST", Optional.ofNullable(headers.getFirst(PATH)).orElse("/"),
                    headers.getFirst(QUERY), headers.getFirst(CONTENT_TYPE), Buffer.buffer(body == null ? new byte[0] : body), tracking)
                    .await().atMost(Duration.ofMinutes(10));
            byte[] answer = response.getEntity() instanceof byte[] bytes ? bytes : new byte[0];
            String type = response.getHeaderString("Content-Type");
            String title = null;
            String detail = null;
            if (type != null && type.startsWith("application/problem+json")) {
                JsonNode problem = readTree(answer);
                title = problem.path("title").asText(null);
                detail = problem.path("detail").asText(null);
            }
            return new Outcome(response.getStatus(), title, detail, type, answer, true,
                    response.getHeaderString(dev.skiff.contracts.Headers.CALL_REPLAY));
        } catch (ProblemException e) {
            byte[] problem = ("{\"title\":" + quote(e.title()) + ",\"status\":" + e.status() + ",\"detail\":" + quote(e.getMessage()) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            return new Outcome(e.status(), e.title(), e.getMessage(), "application/problem+json", problem, false, null);
        } catch (RuntimeException e) {
            String detail = String.valueOf(e.getMessage());
            return new Outcome(503, "Service unavailable", detail, "application/problem+json",
                    ("{\"title\":\"Service unavailable\",\"status\":503,\"detail\":" + quote(detail) + "}").getBytes(StandardCharsets.UTF_8),
                    false, null);
        }
    }

    private JsonNode readTree(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private String quote(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (IOException e) {
            return "\"\"";
        }
    }

    private void record(CallStatus status) {
        try {
            statuses.put(status.callId(), json.writeValueAsBytes(status));
        } catch (IOException | JetStreamApiException e) {
            // the call itself is safe in the stream; only its status is behind
            LOG.warnf("async call %s: status %s not recorded (%s)", status.callId(), status.state(), e.getMessage());
        }
    }

    private void count(String function, String result) {
        meters.counter("skiff_gateway_async_calls_total", "function", function, "result", result).increment();
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Thread thread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void daemon(String name, Runnable task) {
        thread(name, task).start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
