package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Function controller end to end: a Kubernetes API server (fabric8's mock server in CRUD
 * mode, in this JVM) holds the Function CRD and Function resources; the packaged gateway runs
 * with its controller on and pointed at it. Functions applied as resources are deployed,
 * rolled out, reported in their status and removed, as a user of {@code kubectl} would see.
 *
 * <p>What the mock server does and does not do, read from its source: it keeps finalizers (a
 * delete only sets deletionTimestamp while any is left, and the resource goes when the last one is
 * removed), bumps metadata.generation on spec changes, honours the status subresource of a CRD
 * created through it and refuses stale resourceVersions; it does not check resources against the
 * CRD's schema, so the controller's own checks meet the bad specs here (FunctionCrdTest checks the
 * schema).
 */
class KubernetesControllerIT {
    private static final String NAMESPACE = "skiff-e2e";
    private static final String FINALIZER = "functions.skiff.dev/finalizer";
    private static final Duration SETTLE = Duration.ofSeconds(45);

    private static KubernetesMockServer server;
    private static KubernetesClient kube;
    private static SkiffProcesses skiff;
    private static SkiffApi api;

    @BeforeAll
    static void start() throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), true);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        kube = server.createClient();
        skiff = new SkiffProcesses("kubernetes");
        kube.apiextensions().v1().customResourceDefinitions()
                .load(skiff.root.resolve("deploy/kubernetes/crd/functions.skiff.dev.yaml").toFile()).create();
        skiff.withGatewayProperties(
                "-Dskiff.gateway.kubernetes.controller.enabled=true",
                "-Dskiff.gateway.kubernetes.controller.namespace=" + NAMESPACE,
                "-Dskiff.gateway.kubernetes.controller.retry-initial-delay=200ms",
                "-Dskiff.gateway.kubernetes.controller.retry-max-delay=2s",
                "-Dquarkus.kubernetes-client.api-server-url=" + server.url("/"),
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.kubernetes-client.namespace=" + NAMESPACE,
                "-Dskiff.secrets.store=kubernetes")
                .withAgentProperties(
                        "-Dskiff.secrets.store=kubernetes",
                        "-Dquarkus.kubernetes-client.api-server-url=" + server.url("/"),
                        "-Dquarkus.kubernetes-client.trust-certs=true").start();
        api = new SkiffApi(skiff);
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void execSampleIsDeployedUpdatedAndRemovedThroughItsResource() throws IOException {
        api.upload("hello-exec", skiff.root.resolve("examples/exec-hello/handler.sh"));
        GenericKubernetesResource applied = functions().resource(sample("hello.yaml")).create();
        assertEquals(1L, applied.getMetadata().getGeneration());

        Map<String, Object> status = awaitReady("hello-exec", 1);
        assertEquals("/function/hello-exec", status.get("url"));
        assertEquals("code/hello-exec:latest", status.get("image"));
        assertTrue(status.get("digest").toString().startsWith("sha256:"), status.toString());
        assertNull(status.get("lastError"));
        assertTrue(functions().withName("hello-exec").get().getMetadata().getFinalizers().contains(FINALIZER));
        api.invoke("hello-exec", "e2e").then().statusCode(200).body(equalTo("Ahoy, e2e!\n"));
        given().when().get(api.gateway() + "/system/function/hello-exec").then().statusCode(200)
                .body("digest", equalTo(status.get("digest")))
                .body("maxScale", equalTo(5)).body("idleTimeoutSeconds", equalTo(60)).body("timeoutSeconds", equalTo(10))
                .body("labels.team", equalTo("examples"))
                .body("annotations.'skiff.dev/function-resource'", equalTo(NAMESPACE + "/hello-exec"));

        functions().withName("hello-exec").edit(f -> {
            spec(f).put("env", Map.of("GREETING", "Ahoy again"));
            return f;
        });
        Map<String, Object> updated = awaitReady("hello-exec", 2);
        assertNotEquals(status.get("digest"), updated.get("digest"), "a spec change rolls out a new version");
        api.invoke("hello-exec", "e2e").then().statusCode(200).body(equalTo("Ahoy again, e2e!\n"));
        given().when().get(api.gateway() + "/system/function/hello-exec/versions").then().statusCode(200)
                .body("size()", equalTo(2)).body("find { it.current }.digest", equalTo(updated.get("digest")));

        functions().withName("hello-exec").delete();
        await("Function resource gone").atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> functions().withName("hello-exec").get() == null);
        // the finalizer went only after the function had left the platform
        given().when().get(api.gateway() + "/system/function/hello-exec").then().statusCode(404);
        api.invoke("hello-exec", "gone").then().statusCode(404);
    }

    @Test
    void javaSampleIsDeployedFromItsManifest() throws IOException {
        api.upload("hello-java", skiff.root.resolve("examples/java-hello/target/java-hello.jar"));
        functions().resource(sample("hello-java.yaml")).create();

        awaitReady("hello-java", 1);
        api.invoke("hello-java", "e2e").then().statusCode(200).body(equalTo("Hello, e2e!"));

        functions().withName("hello-java").delete();
        await("Function resource gone").atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> functions().withName("hello-java").get() == null);
        given().when().get(api.gateway() + "/system/function/hello-java").then().statusCode(404);
    }

    @Test
    void badSpecIsReportedAndNothingIsDeployedUntilItIsFixed() throws IOException {
        String image = api.upload("kube-bad", api.script("kube-bad.sh", "cat"));
        functions().resource(function("kube-bad", image, "kube-bad.sh", Map.of("minScale", -1))).create();
        Map<String, Object> negative = awaitNotReady("kube-bad", 1, "InvalidSpec");
        assertTrue(negative.get("lastError").toString().contains("spec.minScale"), negative.toString());
        assertNull(negative.get("digest"), "nothing was deployed");
        given().when().get(api.gateway() + "/system/function/kube-bad").then().statusCode(404);

        functions().resource(function("kube-nocode", "code/nothing-uploaded:latest", "run.sh", Map.of())).create();
        Map<String, Object> noCode = awaitNotReady("kube-nocode", 1, "InvalidSpec");
        assertTrue(noCode.get("lastError").toString().contains("spec.image"), noCode.toString());
        given().when().get(api.gateway() + "/system/function/kube-nocode").then().statusCode(404);

        functions().withName("kube-bad").edit(f -> {
            spec(f).remove("minScale");
            return f;
        });
        Map<String, Object> fixed = awaitReady("kube-bad", 2);
        assertNull(fixed.get("lastError"), "a success clears the last error");
        api.invoke("kube-bad", "fixed").then().statusCode(200).body(equalTo("fixed"));

        String metrics = given().when().get(api.gateway() + "/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(counter(metrics, "invalid") >= 2, metrics);
        assertTrue(counter(metrics, "success") >= 1, metrics);

        functions().withName("kube-nocode").delete();
        functions().withName("kube-bad").delete();
        await("bad Functions gone").atMost(SETTLE).pollInterval(Duration.ofMillis(200)).until(() ->
                functions().withName("kube-nocode").get() == null && functions().withName("kube-bad").get() == null);
        given().when().get(api.gateway() + "/system/function/kube-bad").then().statusCode(404);
    }

    @Test
    void functionDeployedThroughTheApiIsNeitherTakenOverNorRemoved() throws IOException {
        api.deployExec("kube-taken", api.script("kube-taken.sh", "echo api"), "");
        String image = "code/kube-taken:latest";
        functions().resource(function("kube-taken", image, "kube-taken.sh", Map.of("maxScale", 2))).create();

        Map<String, Object> status = awaitNotReady("kube-taken", 1, "Conflict");
        assertTrue(status.get("lastError").toString().contains("deployed through the API"), status.toString());

        functions().withName("kube-taken").delete();
        await("Function resource gone").atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> functions().withName("kube-taken").get() == null);
        given().when().get(api.gateway() + "/system/function/kube-taken").then().statusCode(200).body("maxScale", equalTo(20));
        api.invoke("kube-taken", "x").then().statusCode(200).body(equalTo("api\n"));
    }

    @Test
    void aFunctionGetsItsNamespacesLabelledSecretsAndNoOthers() throws IOException {
        // one Secret an operator made and labelled for functions, one nobody gave them
        kube.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("db")
                .addToLabels("skiff.dev/secret", "true").endMetadata()
                .addToData("user", b64("admin")).addToData("password", b64("kube-hunter2")).build()).create();
        kube.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("sa-token").endMetadata()
                .addToData("token", b64("cluster-admin-token")).build()).create();
        // and one made through the gateway's secrets API, which lands as a labelled Secret
        given().contentType("application/json").body("{\"name\":\"api-key\",\"namespace\":\"" + NAMESPACE + "\",\"value\":\"k-kube\"}")
                .when().post(api.gateway() + "/system/secrets").then().statusCode(201);
        assertEquals("true", kube.secrets().inNamespace(NAMESPACE).withName("api-key").get().getMetadata().getLabels().get("skiff.dev/secret"));
        given().when().get(api.gateway() + "/system/secrets?namespace=" + NAMESPACE).then().statusCode(200)
                .body("name", equalTo(List.of("api-key", "db")));

        api.upload("kube-secret", api.script("kube-secret.sh",
                "echo \"$(cat \"$SKIFF_SECRETS_DIR/user\"):$(cat \"$SKIFF_SECRETS_DIR/password\") $API_KEY\""));
        functions().resource(function("kube-secret", "code/kube-secret:latest", "kube-secret.sh",
                Map.of("secrets", List.of("db"), "secretEnv", Map.of("API_KEY", "api-key")))).create();
        awaitReady("kube-secret", 1);
        api.invoke("kube-secret", "").then().statusCode(200).body(equalTo("admin:kube-hunter2 k-kube\n"));

        functions().resource(function("kube-thief", "code/kube-secret:latest", "kube-secret.sh",
                Map.of("secrets", List.of("sa-token")))).create();
        Map<String, Object> refused = awaitNotReady("kube-thief", 1, "InvalidSpec");
        assertTrue(refused.get("lastError").toString().contains("secret sa-token not found in namespace " + NAMESPACE), refused.toString());
        api.invoke("kube-thief", "").then().statusCode(404);
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static NonNamespaceOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> functions() {
        return kube.genericKubernetesResources("skiff.dev/v1", "Function").inNamespace(NAMESPACE);
    }

    /** Waits until the Function is Ready for {@code generation}; returns its status. */
    private static Map<String, Object> awaitReady(String name, long generation) {
        return awaitStatus(name, generation, "True", "Deployed");
    }

    private static Map<String, Object> awaitNotReady(String name, long generation, String reason) {
        return awaitStatus(name, generation, "False", reason);
    }

    private static Map<String, Object> awaitStatus(String name, long generation, String ready, String reason) {
        return await(name + " Ready=" + ready + " (" + reason + ") at generation " + generation).atMost(SETTLE)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    GenericKubernetesResource f = functions().withName(name).get();
                    assertNotNull(f, name + " exists");
                    Map<String, Object> status = f.get("status");
                    if (status == null || !Long.valueOf(generation).equals(number(status.get("observedGeneration")))) {
                        return null;
                    }
                    Map<String, Object> condition = readyCondition(status);
                    return condition != null && ready.equals(condition.get("status")) && reason.equals(condition.get("reason"))
                            ? status : null;
                }, s -> s != null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readyCondition(Map<String, Object> status) {
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
        return conditions == null ? null
                : conditions.stream().filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(null);
    }

    private static Long number(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource function) {
        return (Map<String, Object>) function.getAdditionalProperties().get("spec");
    }

    private static GenericKubernetesResource sample(String file) throws IOException {
        return Serialization.unmarshal(Files.readString(skiff.root.resolve("examples/kubernetes").resolve(file)),
                GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource function(String name, String image, String handler, Map<String, Object> extra) {
        Map<String, Object> spec = new LinkedHashMap<>(Map.of("image", image, "runtime", "exec", "handler", handler));
        spec.putAll(extra);
        GenericKubernetesResource function = new GenericKubernetesResource();
        function.setApiVersion("skiff.dev/v1");
        function.setKind("Function");
        function.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        function.setAdditionalProperty("spec", spec);
        return function;
    }

    /** The value of {@code skiff_controller_reconciles_total{result="..."}} in a Prometheus scrape. */
    private static double counter(String metrics, String result) {
        return metrics.lines().filter(l -> l.startsWith("skiff_controller_reconciles_total{") && l.contains("result=\"" + result + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
