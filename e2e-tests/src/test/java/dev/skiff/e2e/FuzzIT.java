package dev.skiff.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.e2e.RawHttp.Answer;
import dev.skiff.e2e.RawHttp.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input, fuzzed and hand-written, against the gateway's API and the function store's OCI API.
 * Every answer must be a 4xx with a body saying what was wrong (problem+json from the gateway, the
 * OCI error format from the store's {@code /v2} API), or a 2xx where the input happened to be valid;
 * never a 5xx, never a hang. Afterwards nothing is half-written: the function list and the store's
 * catalog hold only what went through, every blob hashes to its name, and a function deployed before
 * the fuzzing still answers.
 *
 * <p>The random part is seeded: the seed is printed, and {@code -Dskiff.fuzz.seed=<seed>} replays it
 * ({@code -Dskiff.fuzz.requests=<n>} sets how many random requests are sent).
 */
class FuzzIT {
    private static final long SEED = Long.getLong("skiff.fuzz.seed", System.nanoTime());
    private static final int RANDOM_REQUESTS = Integer.getInteger("skiff.fuzz.requests", 260);
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    /** The limits the platform runs with here: small, so that bodies just above them are cheap to send. */
    private static final int GATEWAY_MAX_BODY = 2 << 20;
    private static final int MAX_CODE_BYTES = 1 << 20;
    private static final int ASYNC_MAX_BODY = 100_000;
    private static final int STORE_MAX_BODY = 3 << 20;
    private static final int MANIFEST_MAX = 1 << 20;
    private static final String VICTIM = "victim";
    private static final String STORE_REPO = "fuzz/victim";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Quarkus reads a chunked body itself and answers an empty 413 at the limit; only a declared Content-Length is ours to answer. */
    private static final String CHUNKED_OVER_LIMIT = "chunked body over the limit";

    private static SkiffProcesses skiff;
    private static SkiffApi api;

    /** Which API a request goes to: it decides the port and the error format a 4xx must have. */
    enum Target { GATEWAY, STORE }

    /**
     * One request of the run, whether a 2xx answer is acceptable (the input may be valid by chance),
     * and, for the few answers Skiff's code never sees, why an empty 4xx is all there can be.
     */
    record Case(Target target, Request request, boolean mayPass, String bodylessBecause) {
        Case(Target target, Request request, boolean mayPass) {
            this(target, request, mayPass, notHttp(request));
        }

        Case bodyless(String because) {
            return new Case(target, request, mayPass, because);
        }
    }

    /**
     * Why a request is not HTTP/1.1 at all (a control character in a header value, a Content-Length
     * that is no number, a request line past 4 KiB), or null. Vert.x' HTTP codec refuses those with
     * an empty 400/414 and closes the connection before any handler of ours runs: Quarkus gives no
     * way to set Vert.x' invalid-request handler.
     */
    static String notHttp(Request request) {
        if (request.target().length() > 4000) {
            return "request line longer than Vert.x' 4096";
        }
        if (request.target().chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return "control character or space in the request line";
        }
        for (Map.Entry<String, String> header : request.headers()) {
            String value = header.getValue().replace("\r\nX-Injected: 1", "");
            if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                return "control character in header " + header.getKey();
            }
            if (header.getKey().equalsIgnoreCase("Content-Length") && !value.strip().matches("[0-9]{1,18}")) {
                return "Content-Length is not a number";
            }
        }
        return null;
    }

    private final FuzzInputs in = new FuzzInputs(SEED);
    private final Map<String, Integer> counts = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    /** What the test itself made exist: functions, and store repositories. */
    private final Set<String> functions = new TreeSet<>();
    private final Set<String> repositories = new TreeSet<>();
    /** Secrets ({@code namespace/name}) that requests which went through created and did not delete. */
    private final Set<String> secrets = new TreeSet<>();
    private final List<String> openedSessions = new ArrayList<>();
    private String configDigest;
    private String layerDigest;
    private String manifestDigest;
    private String sessionPath;

    @BeforeAll
    static void start() throws IOException {
        skiff = new SkiffProcesses("fuzz").withNats()
                .withGatewayProperties(
                        "-Dquarkus.http.limits.max-body-size=" + GATEWAY_MAX_BODY,
                        "-Dskiff.gateway.max-code-bytes=" + MAX_CODE_BYTES,
                        "-Dskiff.gateway.async.max-body-bytes=" + ASYNC_MAX_BODY,
                        "-Dskiff.gateway.async.max-attempts=1")
                .withStoreProperties(
                        "-Dquarkus.http.limits.max-body-size=" + STORE_MAX_BODY,
                        "-Dskiff.store.manifest-max-size=" + MANIFEST_MAX)
                .start();
        api = new SkiffApi(skiff);
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    @Test
    void badInputIsAnswered4xxWithABodyAndNothingIsHalfWritten() throws Exception {
        System.out.printf("FuzzIT seed %d (replay with -Dskiff.fuzz.seed=%d), %d random requests%n", SEED, SEED, RANDOM_REQUESTS);
        deployVictims();
        long begin = System.nanoTime();

        List<Case> cases = new ArrayList<>();
        cases.addAll(gatewayByHand());
        cases.addAll(storeByHand());
        for (int i = 0; i < RANDOM_REQUESTS; i++) {
            cases.add(in.chance(55) ? randomGatewayCase() : randomStoreCase());
        }
        for (Case c : cases) {
            run(c);
        }
        cancelOpenedSessions();

        System.out.printf("FuzzIT: %d requests in %d s; by target and status class: %s%n", cases.size(),
                Duration.ofNanos(System.nanoTime() - begin).toSeconds(), counts);
        failures.forEach(f -> System.out.println("FuzzIT failure: " + f));
        assertTrue(failures.isEmpty(), failures.size() + " bad answers (seed " + SEED + "), first: "
                + failures.stream().limit(5).toList());

        nothingHalfWritten();
    }

    // --- set-up: what must survive the fuzzing ---------------------------------------------------------

    private void deployVictims() throws Exception {
        api.deployExec(VICTIM, api.script("victim.sh", "cat"), ",\"labels\":{\"com.openfaas.scale.max\":\"2\"}");
        functions.add(VICTIM);
        repositories.addAll(List.of("code/" + VICTIM, "functions/" + VICTIM));
        api.invoke(VICTIM, "before").then().statusCode(200);

        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "fuzz layer".getBytes(StandardCharsets.UTF_8);
        configDigest = pushBlob(STORE_REPO, config);
        layerDigest = pushBlob(STORE_REPO, layer);
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":"application/vnd.skiff.fuzz",
                 "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":%d},
                 "layers":[{"mediaType":"application/octet-stream","digest":"%s","size":%d}]}"""
                .formatted(OCI_MANIFEST, configDigest, config.length, layerDigest, layer.length);
        Answer put = store(Request.of("PUT", "/v2/" + STORE_REPO + "/manifests/v1").header("Content-Type", OCI_MANIFEST).body(manifest));
        assertEquals(201, put.status(), put.text());
        manifestDigest = put.header("Docker-Content-Digest");
        Answer session = store(Request.of("POST", "/v2/" + STORE_REPO + "/blobs/uploads/"));
        assertEquals(202, session.status(), session.text());
        sessionPath = session.header("Location");
        openedSessions.add(sessionPath);
        repositories.add(STORE_REPO);
    }

    private String pushBlob(String repository, byte[] content) {
        String digest = sha256(content);
        Answer answer = store(Request.of("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest).body(content));
        assertEquals(201, answer.status(), answer.text());
        return digest;
    }

    // --- hand-written cases ---------------------------------------------------------------------------

    private List<Case> gatewayByHand() {
        List<Case> cases = new ArrayList<>();
        String valid = "{\"service\":\"fz-hand\",\"image\":\"code/victim:latest\",\"runtime\":\"exec\",\"handler\":\"victim.sh\"}";
        List<String> deployments = new ArrayList<>(List.of("", "{", "}", "[]", "null", "42", "\"text\"", "{\"service\":",
                "{\"service\":\"fz-x\"", valid.substring(0, valid.length() / 2), "{\"service\":123}", "{\"service\":[\"a\"]}",
                "{\"service\":{}}", "{\"service\":null,\"image\":null,\"runtime\":null}", "\u0000", "{\"service\":\"fz\u0000\"}",
                "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "[" .repeat(100_000)));
        for (String[] change : new String[][] {
            {"\"fz-hand\"", "\"../../etc\""}, {"\"fz-hand\"", "\"Fz-Hand\""}, {"\"fz-hand\"", "\"" + "a".repeat(64) + "\""},
            {"\"fz-hand\"", "\"fz\\nhand\""}, {"\"fz-hand\"", "\"f\u00fcnf\""}, {"\"fz-hand\"", "\"\""},
            {"\"code/victim:latest\"", "\"code/nothing-here:latest\""}, {"\"code/victim:latest\"", "\"../../etc/passwd\""},
            {"\"code/victim:latest\"", "\"code/victim@sha256:zz\""}, {"\"code/victim:latest\"", "\"code/victim@sha256:" + "0".repeat(64) + "\""},
            {"\"code/victim:latest\"", "\"evil.example:5000/code/victim:latest\""}, {"\"code/victim:latest\"", "\"code/victim:latest\\r\\nX-Injected: 1\""},
{"\"code/victim:latest\"", "\"code/UPPER:latest\""},
            {"\"code/victim:latest\"", "\"code/victim:" + "t".repeat(200) + "\""}, {"\"code/victim:latest\"", "\"" + "c".repeat(600) + "\""},
            {"\"exec\"", "\"EXEC\""}, {"\"exec\"", "\"java\""}, {"\"exec\"", "5"},
            {"\"victim.sh\"", "\"../../bin/sh\""}, {"\"victim.sh\"", "\"/bin/sh\""}, {"\"victim.sh\"", "\"victim.sh;id\""},
            {"\"victim.sh\"", "\"$(id)\""}, {"\"victim.sh\"", "\"-rf\""}, {"\"victim.sh\"", "\"missing.sh\""},
        }) {
            deployments.add(valid.replace(change[0], change[1]));
        }
        for (String extra : List.of(
                "\"envVars\":{\"\":\"x\"}", "\"envVars\":{\"A=B\":\"x\"}", "\"envVars\":{\"A\\nB\":\"x\"}", "\"envVars\":{\"../X\":\"x\"}",
                "\"envVars\":{\"A\":\"x\\u0000y\"}", "\"envVars\":{\"A\":\"" + "v".repeat(5000) + "\"}", "\"envVars\":{\"A\":null}",
                "\"envVars\":{\"A\":{\"b\":1}}", "\"envVars\":[\"A=B\"]", "\"envVars\":\"A=B\"",
                "\"labels\":{\"com.openfaas.scale.min\":\"-1\"}", "\"labels\":{\"com.openfaas.scale.max\":\"99999999999\"}",
                "\"labels\":{\"com.openfaas.scale.min\":\"\u0663\"}", "\"labels\":{\"com.openfaas.scale.max\":\"\u0663\"}",
                "\"labels\":{\"com.openfaas.scale.min\":\"3\",\"com.openfaas.scale.max\":\"2\"}", "\"labels\":{\"../x\":\"y\"}",
                "\"labels\":{\"a\":\"" + "l".repeat(300) + "\"}", "\"labels\":{\"a\\r\\nb\":\"y\"}", "\"labels\":5",
                "\"annotations\":{\"\":\"x\"}", "\"annotations\":{\"" + "k".repeat(300) + "\":\"x\"}",
                "\"limits\":{\"memory\":\"999999999999Gi\"}", "\"limits\":{\"memory\":\"17179869185Gi\"}", "\"limits\":{\"memory\":\"17179869184Ki\"}", "\"limits\":{\"memory\":\"-1Mi\"}",
                "\"limits\":{\"memory\":\"1Ti\"}", "\"limits\":{\"memory\":\"15Mi\"}", "\"limits\":{\"cpu\":\"0\"}", "\"limits\":{\"cpu\":\"0m\"}",
                "\"limits\":{\"cpu\":\"999999.999\"}", "\"limits\":{\"cpu\":\"1e3\"}", "\"limits\":[]",
                "\"requests\":{\"memory\":\"lots\"}", "\"concurrency\":0", "\"concurrency\":-1", "\"concurrency\":1e400",
                "\"concurrency\":99999999999999999999", "\"concurrency\":1.5", "\"concurrency\":\"1\"", "\"concurrency\":true",
                "\"idleTimeoutSeconds\":-5", "\"idleTimeoutSeconds\":86401", "\"timeoutSeconds\":0", "\"timeoutSeconds\":301",
                "\"timeoutSeconds\":2147483648", "\"timeoutSeconds\":-2147483648", "\"namespace\":\"../x\"", "\"namespace\":7",
                "\"envProcess\":\"sh -c id\"", "\"service\":\"fz-dup\"")) {
            deployments.add(valid.substring(0, valid.length() - 1) + "," + extra + "}");
        }
        for (String body : deployments) {
            cases.add(gateway(Request.of("POST", "/system/functions").json(body), false));
            if (in.chance(40)) {
                cases.add(gateway(Request.of("PUT", "/system/functions").json(body), false));
            }
        }
        for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=ebcdic",
                "application/x-www-form-urlencoded", "\u00e9/\u00e9")) {
            // Jackson reads JSON's own encodings whatever charset the header names: that one goes through
            cases.add(gateway(Request.of("POST", "/system/functions").header("Content-Type", type).body(valid.replace("fz-hand", "fz-typed")),
                    type.startsWith("application/json")));
        }
        cases.add(gateway(Request.of("POST", "/system/functions").body(valid), false));
        // OpenFaaS fields Skiff does not know are ignored, and a CPU count may be a JSON number as in Kubernetes
        cases.add(gateway(Request.of("POST", "/system/functions").json(valid.replace("fz-hand", "fz-lenient")
                .replace("}", ",\"limits\":{\"cpu\":1},\"readOnlyRootFilesystem\":true,\"unknown\":{\"deep\":[1,2,{}]}}")), true));
        // the environment is the function's own business (its code runs in its own sandbox anyway)
        cases.add(gateway(Request.of("POST", "/system/functions").json(valid.replace("fz-hand", "fz-env")
                .replace("}", ",\"envVars\":{\"LD_PRELOAD\":\"/tmp/x.so\",\"PATH\":\"/nowhere\"}}")), true));
        // a function version's artefact holds the same files as the code it came from: deployable
        cases.add(gateway(Request.of("POST", "/system/functions").json(valid.replace("fz-hand", "fz-fromfn")
                .replace("code/victim:latest", "functions/victim:latest")), true));
        cases.add(gateway(Request.of("PUT", "/system/functions").json(valid), false));   // no such function: 404
        cases.add(gateway(Request.of("POST", "/system/functions").json(valid.replace("fz-hand", VICTIM)), false));   // 409
        cases.add(gateway(Request.of("POST", "/system/functions").json("{\"service\":\"" + "x".repeat(GATEWAY_MAX_BODY) + "\"}"), false));

        for (String body : List.of("", "{}", "{\"functionName\":\"\"}", "{\"functionName\":\"../victim\"}", "{\"functionName\":5}",
                "{\"functionName\":[\"victim\"]}", "{\"functionName\":\"fz-none\"}", "{\"functionName\":\"VICTIM\"}", "nope")) {
            cases.add(gateway(Request.of("DELETE", "/system/functions").json(body), false));
        }

        for (String name : List.of("%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "a%0d%0aX-Injected:%201", "f%C3%BCnf", "UPPER",
                "x".repeat(300), "%F0%9F%98%80", "a%2Fb", "%zz", "%", "-a", "a-")) {
            cases.add(gateway(Request.of("GET", "/system/function/" + name), false));
            cases.add(gateway(Request.of("GET", "/system/function/" + name + "/versions"), false));
            cases.add(gateway(Request.of("POST", "/function/" + name).body("x"), false));
            cases.add(gateway(Request.of("POST", "/async-function/" + name).body("x"), false));
            cases.add(gateway(Request.of("POST", "/system/code/" + name + "?filename=f.sh").body("echo"), false));
            cases.add(gateway(Request.of("POST", "/system/scale-function/" + name).json("{\"replicas\":1}"), false));
            cases.add(gateway(Request.of("POST", "/system/function/" + name + "/rollback").json("{}"), false));
        }

        for (String filename : List.of("..", ".", "../x", "..%2Fx", "%2e%2e%2fx", "a/b", "a%2Fb", "a%5Cb", "a%00b", "%0a",
                ".hidden", "x".repeat(129), "f%C3%BCnf", "a%20b", "a%3Bid", "%24(id)", "*")) {
            cases.add(gateway(Request.of("POST", "/system/code/fz-code?filename=" + filename).body("echo hi"), false));
        }
        cases.add(gateway(Request.of("POST", "/system/code/fz-code?filename=f.sh"), false));   // no body
        cases.add(gateway(Request.of("POST", "/system/code/fz-code?filename=f.sh").body(new byte[MAX_CODE_BYTES + 1]), false));
        cases.add(gateway(Request.of("POST", "/system/code/fz-code?filename=f.sh").body(new byte[GATEWAY_MAX_BODY + 1]), false));
        cases.add(gateway(Request.of("POST", "/system/code/fz-code?filename=f.sh").header("Transfer-Encoding", "chunked")
                .body(chunked(new byte[GATEWAY_MAX_BODY + 1])), false).bodyless(CHUNKED_OVER_LIMIT));

        for (String body : List.of("", "{}", "{\"replicas\":-1}", "{\"replicas\":1001}", "{\"replicas\":\"x\"}", "{\"replicas\":1e400}",
                "{\"replicas\":2147483648}", "{\"replicas\":null}", "{\"serviceName\":\"other\",\"replicas\":1}", "{\"serviceName\":5}", "[1]", "{")) {
            cases.add(gateway(Request.of("POST", "/system/scale-function/" + VICTIM).json(body), true));
        }
        for (String body : List.of("", "{}", "{\"version\":\"v1\"}", "{\"version\":\"v00000000000000000\"}", "{\"version\":5}",
                "{\"version\":[]}", "{\"version\":\"../../latest\"}", "{\"version\":\"latest\"}", "{")) {
            cases.add(gateway(Request.of("POST", "/system/function/" + VICTIM + "/rollback").json(body), false));
        }
        cases.add(gateway(Request.of("POST", "/system/function/" + VICTIM + "/rollback"), false));

        // invocation: the victim answers whatever it is sent; bad names, sizes and headers are refused
        cases.add(gateway(Request.of("POST", "/function/" + VICTIM).body(new byte[GATEWAY_MAX_BODY + 1]), false));
        cases.add(gateway(Request.of("POST", "/function/" + VICTIM).header("Transfer-Encoding", "chunked")
                .body(chunked(new byte[GATEWAY_MAX_BODY + 1])), false).bodyless(CHUNKED_OVER_LIMIT));
        cases.add(gateway(Request.of("POST", "/function/" + VICTIM).body(new byte[GATEWAY_MAX_BODY - 1024]), true));
        cases.add(gateway(Request.of("POST", "/function/" + VICTIM + "/%2e%2e/%2e%2e/system/functions").body("x"), true));
        cases.add(gateway(Request.of("POST", "/function/" + VICTIM + "?a=%00&b=%0d%0a").body("x"), true));
        cases.add(gateway(Request.of("POST", "/function/" + VICTIM).header("Content-Type", "text/plain\u00ff").body("x"), true));
        cases.add(gateway(Request.of("POST", "/function/" + VICTIM).header("X-Test", "a\r\nX-Injected: 1").body("x"), true));
        for (String method : List.of("FOO", "PROPFIND", "TRACE", "OPTIONS", "HEAD", "GET", "DELETE", "PUT")) {
            cases.add(gateway(Request.of(method, "/function/" + VICTIM), true));
            cases.add(gateway(Request.of(method, "/system/functions"), true));
        }
        cases.add(gateway(Request.of("FOO", "/system/code/" + VICTIM), false));

        // async: the same, plus the callback URL
        for (String url : List.of("file:///etc/passwd", "ftp://127.0.0.1/", "http://user:pw@127.0.0.1/", "not a url", "http://",
                "http://127.0.0.1:99999/", "http://[::1", "javascript:alert(1)", "x".repeat(5000), "http://127.0.0.1/\u0000")) {
            cases.add(gateway(Request.of("POST", "/async-function/" + VICTIM).header("X-Callback-Url", url).body("x"), false));
        }
        cases.add(gateway(Request.of("POST", "/async-function/" + VICTIM).body(new byte[ASYNC_MAX_BODY + 1]), false));
        cases.add(gateway(Request.of("POST", "/async-function/" + VICTIM).body(new byte[GATEWAY_MAX_BODY + 1]), false));
        cases.add(gateway(Request.of("GET", "/async-function/" + VICTIM), false));
        for (String id : List.of("0", "..", "%2e%2e%2fx", "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000G",
                UUID.randomUUID().toString().toUpperCase(Locale.ROOT), "x".repeat(300), "%00")) {
            cases.add(gateway(Request.of("GET", "/system/async-calls/" + id), false));
        }
        for (String body : List.of("{\"name\":\"../x\",\"value\":\"v\"}", "{\"name\":\"x\"}", "{\"name\":\"x\",\"value\":\"a\",\"rawValue\":\"YQ==\"}",
                "{\"name\":\"x\",\"rawValue\":\"%%%\"}", "{\"name\":\"x\",\"value\":{\"a\":1}}", "{\"name\":\"x\",\"value\":7}",
                "{\"name\":\"" + "a".repeat(300) + "\",\"value\":\"v\"}", "{\"name\":\"x\",\"namespace\":\"A B\",\"value\":\"v\"}",
                "{\"name\":\"x\",\"name\":\"y\",\"value\":\"v\"}", "{\"name\":\"x\",\"value\":\"" + "v".repeat(512 * 1024 + 1) + "\"}",
                "[]", "null", "{\"name\":", "")) {
            cases.add(gateway(Request.of("POST", "/system/secrets").json(body), false));
            cases.add(gateway(Request.of("PUT", "/system/secrets").json(body), false));
        }
        cases.add(gateway(Request.of("DELETE", "/system/secrets").json("{\"name\":\"never-made\"}"), false));
        cases.add(gateway(Request.of("DELETE", "/system/secrets").json("{\"name\":\"../../etc\"}"), false));
        cases.add(gateway(Request.of("GET", "/system/secrets?namespace=%2e%2e"), false));
        cases.add(gateway(Request.of("GET", "/system/secrets?namespace=" + "a".repeat(100)), false));
        cases.add(gateway(Request.of("GET", "/system/nothing-here"), false));
        cases.add(gateway(Request.of("GET", "/%2e%2e/%2e%2e/etc/passwd"), false));
        return cases;
    }

    private List<Case> storeByHand() {
        List<Case> cases = new ArrayList<>();
        String repo = "/v2/" + STORE_REPO;
        for (String name : List.of("UPPER/x", "a//b", "%2e%2e/x", "..%2Fx", "a/_x", "_x", "a/./b", "x".repeat(300), "a%00b",
                "f%C3%BCnf", "a%0d%0ab", "-a", "a-", "a__b/c")) {
            cases.add(store(Request.of("GET", "/v2/" + name + "/manifests/latest"), false));
            cases.add(store(Request.of("GET", "/v2/" + name + "/tags/list"), false));
            // Vert.x normalises "a//b" and "a/./b" to "a/b", a valid name
            cases.add(store(Request.of("POST", "/v2/" + name + "/blobs/uploads/"), name.contains("/") && !name.contains("%") || name.equals("a__b/c")));
        }
        for (String reference : List.of("sha256:zz", "sha256:" + "0".repeat(63), "sha256:" + "A".repeat(64), "md5:abc", "sha512:00",
                "bad%20tag", "t".repeat(200), "%00", ":", "sha256:", ".hidden", "-tag")) {
            cases.add(store(Request.of("GET", repo + "/manifests/" + reference), false));
            cases.add(store(Request.of("HEAD", repo + "/manifests/" + reference), false));
            cases.add(store(Request.of("DELETE", repo + "/manifests/" + reference), false));
            cases.add(store(Request.of("PUT", repo + "/manifests/" + reference).header("Content-Type", OCI_MANIFEST).body("{}"), false));
            cases.add(store(Request.of("GET", repo + "/blobs/" + reference), false));
            cases.add(store(Request.of("GET", repo + "/referrers/" + reference), false));
        }
        cases.add(store(Request.of("DELETE", repo + "/manifests/sha256:" + "0".repeat(64)), false));
        cases.add(store(Request.of("DELETE", repo + "/blobs/sha256:" + "0".repeat(64)), false));
        String layer = "{\"mediaType\":\"application/octet-stream\",\"digest\":\"%s\",\"size\":%s}";
        String config = "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":2}";
        for (String manifest : List.of("", "{", "[]", "null", "{\"schemaVersion\":\"2\"}", "{\"schemaVersion\":1e400}",
                "{\"schemaVersion\":2}", "{\"schemaVersion\":2,\"config\":null,\"layers\":null}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer.formatted("sha256:zz", 1) + "]}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer.formatted(layerDigest, -1) + "]}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer.formatted(layerDigest, "1e30") + "]}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer.formatted(layerDigest, 99999) + "]}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer.formatted("sha256:" + "1".repeat(64), 5) + "]}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[{}]}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[],\"subject\":{\"digest\":\"x\"}}",
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"digest\":5}]}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"annotations\":{\"a\":[1]}}")) {
            cases.add(store(Request.of("PUT", repo + "/manifests/fuzzed").header("Content-Type", OCI_MANIFEST).body(manifest), false));
        }
        String good = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[]}";
        for (String type : List.of("text/plain", "application/json", "application/vnd.docker.distribution.manifest.v1+json", "\u00e9")) {
            cases.add(store(Request.of("PUT", repo + "/manifests/typed").header("Content-Type", type).body(good), false));
        }
        cases.add(store(Request.of("PUT", repo + "/manifests/untyped").body(good), true));   // its mediaType field says it
        cases.add(store(Request.of("PUT", repo + "/manifests/sha256:" + "0".repeat(64)).header("Content-Type", OCI_MANIFEST).body(good), false));
        cases.add(store(Request.of("PUT", repo + "/manifests/big").header("Content-Type", OCI_MANIFEST)
                .body(good.replace("\"layers\":[]", "\"layers\":[],\"annotations\":{\"a\":\"" + "b".repeat(MANIFEST_MAX) + "\"}")), false));
        cases.add(store(Request.of("PUT", repo + "/manifests/bigger").header("Content-Type", OCI_MANIFEST).body(new byte[STORE_MAX_BODY + 1]), false));
        cases.add(new Case(Target.STORE, Request.of("PUT", repo + "/manifests/nocreds").header("Content-Type", OCI_MANIFEST).body(good), false));
        cases.add(new Case(Target.STORE, Request.of("PUT", repo + "/manifests/badcreds").header("Content-Type", OCI_MANIFEST)
                .header("Authorization", "Bearer wrong\u00ff").body(good), false));
        cases.add(new Case(Target.STORE, Request.of("PUT", repo + "/manifests/badcreds").header("Content-Type", OCI_MANIFEST)
                .header("Authorization", "Basic %%%").body(good), false));

        for (String range : List.of("bytes=5-1", "bytes=999999999999999999999-", "bytes=-0", "bytes=a-b", "bytes=0-0,1-1", "items=0-1",
                "bytes=100-", "bytes=-99999999999999999999999", "bytes=0-18446744073709551616", "bytes=\u0000")) {
            cases.add(store(Request.of("GET", repo + "/blobs/" + layerDigest).header("Range", range), true));
        }
        for (String contentRange : List.of("5-1", "0-99999999999999999999", "bytes 0-3/4", "abc", "100-103", "-1-3", "0-0", "1-1")) {
            cases.add(store(Request.of("PATCH", sessionPath).header("Content-Range", contentRange).body("abcd"), true));
        }
        for (String length : List.of("abc", "-1", "1, 2", "99999999999999999999999")) {
            cases.add(store(Request.of("PATCH", sessionPath).header("Content-Length", length).body("abcd"), false));
        }
        for (String digest : List.of("", "sha256:zz", "md5:00", sha256("other".getBytes(StandardCharsets.UTF_8)), "sha256:" + "0".repeat(64))) {
            cases.add(store(Request.of("PUT", sessionPath.replaceFirst("/blobs/uploads/.*", "/blobs/uploads/") + UUID.randomUUID()
                    + "?digest=" + digest).body("x"), false));
        }
        for (String uuid : List.of("x", "..", "%2e%2e", UUID.randomUUID().toString(), "00000000-0000-0000-0000-00000000000G", "x".repeat(300))) {
            cases.add(store(Request.of("GET", repo + "/blobs/uploads/" + uuid), false));
            cases.add(store(Request.of("PATCH", repo + "/blobs/uploads/" + uuid).body("abc"), false));
            cases.add(store(Request.of("DELETE", repo + "/blobs/uploads/" + uuid), false));
        }
        cases.add(store(Request.of("PUT", sessionPath + "?digest=sha256:" + "0".repeat(64)).body("x"), false));
        // a session used with another repository's name
        cases.add(store(Request.of("GET", sessionPath.replace(STORE_REPO, "fuzz/other")), false));
        cases.add(store(Request.of("POST", repo + "/blobs/uploads/?digest=sha256:zz").body("x"), false));
        cases.add(store(Request.of("POST", repo + "/blobs/uploads/?digest=" + sha256("y".getBytes(StandardCharsets.UTF_8))).body("x"), false));
        cases.add(store(Request.of("POST", repo + "/blobs/uploads/?digest=" + sha256(new byte[0])).body(new byte[STORE_MAX_BODY + 1]), false));
        cases.add(store(Request.of("POST", repo + "/blobs/uploads/?mount=sha256:zz&from=fuzz/victim"), true));
        cases.add(store(Request.of("POST", repo + "/blobs/uploads/?mount=" + layerDigest + "&from=UPPER"), true));
        cases.add(store(Request.of("POST", "/v2/fuzz/mounted/blobs/uploads/?mount=" + layerDigest + "&from=..%2Ffuzz%2Fvictim"), true));
        for (String n : List.of("-1", "abc", "99999999999999999999", "1e3", "", "%20", "0", "2147483648", "1.5")) {
            cases.add(store(Request.of("GET", repo + "/tags/list?n=" + n), true));
            cases.add(store(Request.of("GET", "/v2/_catalog?n=" + n + "&last=%00"), true));
        }
        cases.add(store(Request.of("GET", repo + "/tags/list?last=" + "z".repeat(5000)), true));
        cases.add(store(Request.of("GET", repo + "/referrers/" + manifestDigest + "?artifactType=%00%0d%0a"), true));
        for (String method : List.of("FOO", "PROPFIND", "TRACE", "OPTIONS", "PATCH", "POST")) {
            cases.add(store(Request.of(method, "/v2/"), method.equals("OPTIONS")));
            cases.add(store(Request.of(method, repo + "/manifests/v1"), method.equals("OPTIONS")));
        }
        return cases;
    }

    // --- random cases --------------------------------------------------------------------------------

    private Case randomGatewayCase() {
        String name = in.chance(15) ? VICTIM : in.name();
        String segment = in.chance(85) ? FuzzInputs.encode(name) : name.replace(" ", "%20");
        Supplier<Request> pick = in.oneOf(
                () -> Request.of(in.oneOf("POST", "PUT"), "/system/functions").json(randomDeployment()),
                () -> Request.of("DELETE", "/system/functions").json(in.damaged(java.util.Collections.singletonMap("functionName", in.chance(50) ? in.validName() : in.jsonValue(1)))),
                () -> Request.of("GET", "/system/function/" + segment + (in.chance(30) ? "/versions" : "")),
                () -> Request.of("POST", "/system/code/" + segment + "?filename=" + FuzzInputs.encode(in.chance(40) ? "f.sh" : in.nastyString()))
                        .body(in.chance(80) ? in.garbage(2000) : new byte[0]),
                () -> Request.of("POST", "/system/scale-function/" + segment).json(in.damaged(randomMap("serviceName", "replicas"))),
                () -> Request.of("POST", "/system/function/" + segment + "/rollback").json(in.damaged(randomMap("version"))),
                () -> Request.of(in.oneOf("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "FOO"), "/function/" + segment
                        + (in.chance(30) ? "/" + FuzzInputs.encode(in.nastyString()) : "")
                        + (in.chance(30) ? "?" + FuzzInputs.encode(in.nastyString()) + "=" + FuzzInputs.encode(in.nastyString()) : ""))
                        .header("X-Fuzz", headerValue()).body(in.garbage(500)),
                () -> Request.of("POST", "/async-function/" + segment).header("X-Callback-Url", in.chance(50) ? "http://127.0.0.1:9/cb" : headerValue())
                        .body(in.garbage(500)),
                () -> Request.of("GET", "/system/async-calls/" + FuzzInputs.encode(in.chance(50) ? UUID.randomUUID().toString() : in.nastyString())),
                () -> Request.of(in.oneOf("POST", "PUT", "DELETE"), "/system/secrets").json(in.damaged(randomSecret())),
                () -> Request.of("GET", "/system/secrets" + (in.chance(50) ? "?namespace=" + FuzzInputs.encode(in.chance(50) ? in.validName() : in.nastyString()) : "")));
        Request request = pick.get();
        if (in.chance(10) && request.body() != null) {
            request = request.header("Content-Type", in.oneOf("text/plain", "application/xml", "application/json", "*/*", headerValue()));
        }
        return gateway(request, true);
    }

    /** A deployment of a {@code fz-} function with one to three fields broken; now and then valid. */
    private String randomDeployment() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("service", in.validName());
        d.put("image", "code/" + VICTIM + ":latest");
        d.put("runtime", "exec");
        d.put("handler", "victim.sh");
        List<String> fields = List.of("service", "image", "runtime", "handler", "envProcess", "namespace", "envVars", "labels",
                "annotations", "limits", "requests", "concurrency", "idleTimeoutSeconds", "timeoutSeconds", "scale");
        for (int i = 1 + in.nextInt(3); i > 0; i--) {
            String field = in.pick(fields);
            switch (field) {
                case "envVars", "annotations", "labels" -> d.put(field, in.stringMap());
                case "limits", "requests" -> d.put(field, Map.of(in.oneOf("memory", "cpu"), in.chance(70) ? in.nastyString() : in.number()));
                case "concurrency", "idleTimeoutSeconds", "timeoutSeconds" -> d.put(field, in.chance(80) ? in.number() : in.jsonValue(1));
                // never a small valid minScale: a valid deployment by chance must not boot instances on this shared machine
                case "scale" -> d.put("labels", Map.of(in.oneOf("com.openfaas.scale.min", "com.openfaas.scale.max"),
                        in.oneOf("-1", "x", "99999999999", "", "1.5", "1e3", "\u0663\u0663\u0663\u0663", "0x10", "2147483648")));
                default -> {
                    if (in.chance(15)) {
                        d.remove(field);
                    } else {
                        d.put(field, in.chance(70) ? in.nastyString() : in.jsonValue(2));
                    }
                }
            }
        }
        return in.chance(5) ? new String(in.garbage(300), StandardCharsets.ISO_8859_1) : in.damaged(d);
    }

    /** A secrets API body: often a valid name and value, as often not. */
    private Map<String, Object> randomSecret() {
        Map<String, Object> map = randomMap("namespace", "value", "rawValue");
        map.put("name", in.chance(60) ? in.validName() : in.jsonValue(1));
        if (in.chance(50)) {
            map.remove("rawValue");
            map.put("value", in.chance(50) ? in.nastyString() : in.jsonValue(1));
        }
        if (in.chance(50)) {
            map.remove("namespace");
        }
        return map;
    }

    private Map<String, Object> randomMap(String... keys) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : keys) {
            if (in.chance(70)) {
                map.put(key, in.chance(50) ? in.number() : in.jsonValue(1));
            }
        }
        return map;
    }

    /** A header value the way a hostile client might send it: control characters and CR/LF included. */
    private String headerValue() {
        String value = in.nastyString();
        if (in.chance(75)) {
            value = value.replaceAll("[\\x00-\\x08\\x0a-\\x1f\\x7f]", "");   // mostly valid HTTP, so Skiff's own code is what answers
        }
        return value.length() > 2000 ? value.substring(0, 2000) : value;
    }

    private Case randomStoreCase() {
        String repo = in.chance(50) ? STORE_REPO : in.chance(40) ? "fuzz/" + in.validName() : FuzzInputs.encode(in.nastyString()).replace("%2F", "/");
        String reference = in.oneOf(in.chance(50) ? "v1" : FuzzInputs.encode(in.nastyString()), manifestDigest, randomDigest());
        String digest = in.oneOf(layerDigest, configDigest, randomDigest(), FuzzInputs.encode(in.nastyString()));
        String uuid = in.chance(50) ? sessionPath.substring(sessionPath.lastIndexOf('/') + 1) : in.chance(50) ? UUID.randomUUID().toString()
                : FuzzInputs.encode(in.nastyString());
        Supplier<Request> pick = in.oneOf(
                () -> Request.of(in.oneOf("GET", "HEAD", "DELETE"), "/v2/" + repo + "/manifests/" + reference),
                () -> Request.of("PUT", "/v2/" + repo + "/manifests/" + reference)
                        .header("Content-Type", in.chance(70) ? OCI_MANIFEST : headerValue())
                        .body(in.damaged(randomManifest())),
                () -> Request.of(in.oneOf("GET", "HEAD", "DELETE"), "/v2/" + repo + "/blobs/" + digest).header("Range", headerValue()),
                () -> Request.of("POST", "/v2/" + repo + "/blobs/uploads/" + (in.chance(50) ? "?digest=" + digest : "?mount=" + digest + "&from="
                        + FuzzInputs.encode(in.chance(50) ? STORE_REPO : in.nastyString()))).body(in.garbage(300)),
                () -> Request.of(in.oneOf("PATCH", "PUT", "GET", "DELETE"), "/v2/" + repo + "/blobs/uploads/" + uuid
                        + (in.chance(50) ? "?digest=" + digest : "")).header("Content-Range", in.chance(50)
                        ? in.nextInt(50) + "-" + (in.nextInt(60) - 5) : headerValue()).body(in.garbage(40)),
                () -> Request.of("GET", "/v2/" + repo + "/tags/list?n=" + FuzzInputs.encode(String.valueOf(in.chance(50) ? in.number() : in.nastyString()))
                        + "&last=" + FuzzInputs.encode(in.nastyString())),
                () -> Request.of("GET", "/v2/_catalog?n=" + FuzzInputs.encode(String.valueOf(in.number())) + "&last=" + FuzzInputs.encode(in.nastyString())),
                () -> Request.of("GET", "/v2/" + repo + "/referrers/" + digest + "?artifactType=" + FuzzInputs.encode(in.nastyString())));
        return store(pick.get(), true);
    }

    private Object randomManifest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", in.chance(70) ? 2 : in.jsonValue(1));
        m.put("mediaType", in.chance(70) ? OCI_MANIFEST : in.nastyString());
        m.put("config", in.chance(60) ? Map.of("mediaType", "application/vnd.oci.empty.v1+json", "digest", in.oneOf(configDigest, randomDigest()),
                "size", in.chance(50) ? 2 : in.number()) : in.jsonValue(1));
        m.put("layers", in.chance(60) ? List.of(Map.of("mediaType", "application/octet-stream", "digest", in.oneOf(layerDigest, randomDigest()),
                "size", in.number())) : in.jsonValue(2));
        if (in.chance(30)) {
            m.put(in.oneOf("subject", "annotations", "artifactType"), in.jsonValue(2));
        }
        return m;
    }

    private String randomDigest() {
        return in.oneOf("sha256:", "sha512:", "md5:", "SHA256:", "") + HexFormat.of().formatHex(in.garbage(40));
    }

    // --- running and judging -------------------------------------------------------------------------

    private Case gateway(Request request, boolean mayPass) {
        return new Case(Target.GATEWAY, request, mayPass);
    }

    private Case store(Request request, boolean mayPass) {
        return new Case(Target.STORE, request.header("Authorization", "Bearer " + SkiffProcesses.STORE_TOKEN), mayPass);
    }

    private Answer store(Request request) {
        return RawHttp.exchange(skiff.storePort, request.header("Authorization", "Bearer " + SkiffProcesses.STORE_TOKEN), DEADLINE);
    }

    private void run(Case c) {
        Answer answer = RawHttp.exchange(c.target() == Target.GATEWAY ? skiff.gatewayPort : skiff.storePort, c.request(), DEADLINE);
        String statusClass = answer.status() < 0 ? "none" : (answer.status() / 100) + "xx";
        counts.merge(c.target().name().toLowerCase(Locale.ROOT) + " " + statusClass, 1, Integer::sum);
        String wrong = judge(c, answer);
        if (wrong != null) {
            failures.add(wrong + " <- " + c.request().describe() + " -> " + answer.status() + " "
                    + RawHttp.escape(answer.text().substring(0, Math.min(300, answer.text().length()))));
        }
        if (answer.status() >= 200 && answer.status() < 300) {
            recordWrite(c, answer);
        }
    }

    /** What is wrong with an answer, or null. */
    private String judge(Case c, Answer answer) {
        int status = answer.status();
        if (status < 0) {
            return "no answer (" + answer.failure() + ")";
        }
        if (status >= 500) {
            return "server error";
        }
        if (status < 400) {
            return status >= 200 && status < 300 && c.mayPass() ? null : "not refused";
        }
        if (c.request().method().equals("HEAD")) {
            return null;   // a HEAD answer has no body, by definition
        }
        if (answer.body().length == 0) {
            if (c.bodylessBecause() != null) {
                counts.merge("bodyless 4xx (" + c.bodylessBecause().replaceAll(" [A-Z].*", "") + ")", 1, Integer::sum);
                return null;
            }
            return "4xx without a body";
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            String target = c.request().target();
            boolean registry = c.target() == Target.STORE && (target.startsWith("/v2/") || target.equals("/v2"));
            // a path that Vert.x normalises ("/v2/../x") may leave the registry API: either format is right then
            boolean normalised = target.contains("/../") || target.contains("/./") || target.contains("//");
            if (registry && !(normalised && body.has("title"))) {
                JsonNode errors = body.path("errors");
                if (!errors.isArray() || errors.isEmpty() || !errors.get(0).path("code").isTextual() || !errors.get(0).path("message").isTextual()) {
                    return "4xx body is not an OCI error";
                }
            } else {
                String type = String.valueOf(answer.header("Content-Type"));
                if (!type.startsWith("application/problem+json") || !body.path("title").isTextual() || !body.path("detail").isTextual()
                        || body.path("detail").asText().isBlank() || body.path("status").asInt() != status) {
                    return "4xx body is not problem+json with title, detail and status (" + type + ")";
                }
            }
        } catch (IOException e) {
            return "4xx body is not JSON";
        }
        return null;
    }

    /** Keeps track of what a request that went through created or removed. */
    private void recordWrite(Case c, Answer answer) {
        Request r = c.request();
        String path = r.target().split("\\?")[0];
        if (List.of("GET", "HEAD", "OPTIONS").contains(r.method())) {
            return;
        }
        try {
            if (c.target() == Target.GATEWAY && path.equals("/system/functions") && !r.method().equals("GET")) {
                // the answer names what was written (a DELETE answers no body: its request names it)
                String name = r.method().equals("DELETE") ? JSON.readTree(r.body()).path("functionName").asText()
                        : JSON.readTree(answer.body()).path("name").asText();
                if (r.method().equals("DELETE")) {
                    functions.remove(name);
                    repositories.remove("functions/" + name);
                } else {
                    functions.add(name);
                    repositories.add("functions/" + name);
                }
            } else if (c.target() == Target.GATEWAY && path.equals("/system/secrets")) {
                JsonNode named = JSON.readTree(r.method().equals("DELETE") ? r.body() : answer.body());
                String key = named.path("namespace").asText("default") + "/" + named.path("name").asText();
                if (r.method().equals("DELETE")) {
                    secrets.remove(key);
                } else {
                    secrets.add(key);
                }
            } else if (c.target() == Target.GATEWAY && path.startsWith("/system/code/")) {
                // "/system/code/a;b" uploads to code/a (";b" is a matrix parameter): the answer's image says where
                String image = JSON.readTree(answer.body()).path("image").asText();
                repositories.add(image.substring(0, image.lastIndexOf(':')));
            } else if (c.target() == Target.STORE && answer.status() == 202 && r.method().equals("POST") && path.endsWith("/blobs/uploads/")) {
                openedSessions.add(answer.header("Location"));
            } else if (c.target() == Target.STORE && !r.method().equals("GET") && !r.method().equals("HEAD")) {
                int at = path.contains("/manifests/") ? path.indexOf("/manifests/") : path.indexOf("/blobs/");
                if (at > "/v2/".length()) {
                    repositories.add(path.substring("/v2/".length(), at));
                }
            }
        } catch (IOException | RuntimeException e) {
            failures.add("cannot tell what this request that went through wrote: " + r.describe());
        }
    }

    private void cancelOpenedSessions() {
        for (String session : openedSessions) {
            store(Request.of("DELETE", session));
        }
    }

    /** Functions and repositories are exactly what went through; blobs hash to their names; no temporary file stays. */
    private void nothingHalfWritten() throws IOException, NoSuchAlgorithmException {
        Answer list = RawHttp.exchange(skiff.gatewayPort, Request.of("GET", "/system/functions"), DEADLINE);
        assertEquals(200, list.status(), list.text());
        Set<String> listed = new TreeSet<>();
        JSON.readTree(list.body()).forEach(f -> listed.add(f.path("name").asText()));
        assertEquals(functions, listed, "the function list holds only what was deployed validly");

        Answer catalog = store(Request.of("GET", "/v2/_catalog"));
        Set<String> stored = new TreeSet<>();
        JSON.readTree(catalog.body()).path("repositories").forEach(r -> stored.add(r.asText()));
        Set<String> unexpected = new TreeSet<>(stored);
        unexpected.removeAll(repositories);
        assertTrue(unexpected.isEmpty(), "repositories nobody created validly: " + unexpected);
        assertTrue(stored.containsAll(List.of("code/" + VICTIM, "functions/" + VICTIM, STORE_REPO)), stored.toString());

        Path data = skiff.work.resolve("store");
        try (Stream<Path> tmp = Files.list(data.resolve("tmp")); Stream<Path> uploads = Files.list(data.resolve("uploads"))) {
            assertEquals(List.of(), tmp.toList(), "no temporary file stays behind");
            assertEquals(List.of(), uploads.toList(), "every upload session the test opened was cancelled");
        }
        try (Stream<Path> blobs = Files.walk(data.resolve("blobs"))) {
            for (Path blob : blobs.filter(Files::isRegularFile).toList()) {
                assertEquals("sha256:" + blob.getFileName(), sha256(Files.readAllBytes(blob)), "blob " + blob + " holds what its name says");
            }
        }
        Set<String> kept = new TreeSet<>();
        if (Files.isDirectory(skiff.secretsDir())) {
            try (Stream<Path> entries = Files.walk(skiff.secretsDir(), 2)) {
                for (Path entry : entries.filter(e -> e.getNameCount() == skiff.secretsDir().getNameCount() + 2).toList()) {
                    kept.add(skiff.secretsDir().relativize(entry).toString());
                }
            }
        }
        assertEquals(secrets, kept, "the secret store holds exactly the secrets written validly, and no temporary entry");
        api.invoke(VICTIM, "after").then().statusCode(200);
        assertEquals("after", api.invoke(VICTIM, "after").asString(), "the function deployed before the fuzzing still answers");
    }

    private static byte[] chunked(byte[] body) {
        String head = Integer.toHexString(body.length) + "\r\n";
        byte[] out = new byte[head.length() + body.length + 7];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(body, 0, out, head.length(), body.length);
        System.arraycopy("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, out, head.length() + body.length, 7);
        return out;
    }

    private static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
