package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The qemu driver end to end: every instance a QEMU microvm booted from the shared base image
 * (TCG where KVM cannot run guests, so timeouts are generous). The function answers with the
 * guest's kernel release and kernel command line, which only the VM has.
 */
class QemuIT {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final String HANDLER = """
            body=$(cat)
            if [ "$body" = fail ]; then echo "asked to fail" >&2; exit 3; fi
            echo "$(uname -r) [$(cat /proc/cmdline)] $GREETING: $body"
            """;
    private static final String GREETING = "$(id) `uname` \"quoted\" 'single'";

    private static SkiffProcesses skiff;
    private static SkiffApi api;
    private static String guestKernel;

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("skiff.root", "..")).toAbsolutePath().normalize();
        guestKernel = buildBaseImage(root);
        skiff = new SkiffProcesses("qemu").withAgentProperties(
                "-Dskiff.node-agent.driver=qemu",
                "-Dskiff.node-agent.qemu.image-dir=" + root.resolve("images/out"),
                "-Dskiff.node-agent.boot-timeout=" + BOOT.toSeconds() + "s",
                "-Dquarkus.log.category.\"dev.skiff.agent.driver\".level=DEBUG").start();
        api = new SkiffApi(skiff);
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    @Test
    void execFunctionRunsInTheGuestColdThenWarmThenItsVmIsKilledWhenIdle() throws IOException {
        deploy("in-vm", ",\"idleTimeoutSeconds\":3");

        Response cold = api.invoke("in-vm", "hello");
        cold.then().statusCode(200).header("X-Skiff-Start", "cold")
                .body(matchesPattern(Pattern.quote(guestKernel + " [console=ttyS0 ") + "[^\\]]*" + Pattern.quote("] " + GREETING + ": hello\n")));
        assertNotEquals(System.getProperty("os.version"), guestKernel, "the guest runs its own kernel, not the host's");

        Response warm = api.invoke("in-vm", "again");
        warm.then().statusCode(200).header("X-Skiff-Start", "warm").body(containsString(": again"));
        assertEquals(cold.header("X-Skiff-Instance"), warm.header("X-Skiff-Instance"), "the warm call reuses the VM");
        api.invoke("in-vm", "fail").then().statusCode(502).body("title", equalTo("Function failed"))
                .body("detail", containsString("exit status 3: asked to fail"));

        Map<String, Object> vm = instance("in-vm", cold.header("X-Skiff-Instance"));
        long pid = ((Number) vm.get("pid")).longValue();
        assertTrue(ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("").contains("qemu-system"),
                "the instance's process is QEMU");
        await("idle VM killed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.instancesOf("in-vm").isEmpty());
        await("QEMU gone").atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void javaFunctionRunsOnTheJvmOfTheSharedRuntimeDriveInsideTheGuest() throws Exception {
        String image = api.upload("java-vm", compileWhereAmI());
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"java-vm\",\"image\":\"%s\",\"runtime\":\"java\",\"handler\":\"skiff.it.WhereAmI\",\"envVars\":{\"GREETING\":\"%s\"}}"
                        .formatted(image, GREETING.replace("\"", "\\\"")))
                .when().post(api.gateway() + "/system/functions").then().statusCode(202);

        Response cold = api.invoke("java-vm", "hello");
        // os.version is the kernel the JVM runs on: the guest's; java.home is the runtime drive's
        cold.then().statusCode(200).header("X-Skiff-Start", "cold")
                .body(equalTo(guestKernel + " /opt/java/jre " + GREETING + ": hello"));
        Response warm = api.invoke("java-vm", "again");
        warm.then().statusCode(200).header("X-Skiff-Start", "warm").body(containsString(": again"));
        assertEquals(cold.header("X-Skiff-Instance"), warm.header("X-Skiff-Instance"), "the warm call reuses the VM");
        long pid = ((Number) instance("java-vm", cold.header("X-Skiff-Instance")).get("pid")).longValue();
        assertTrue(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("").contains("runtime.img"),
                "the VM boots with the java runtime drive");

        // a restored JVM answers too: the snapshot holds the started JVM, not only the kernel
        Map<String, Object> second = secondInstanceRestoredFrom("java-vm", cold.header("X-Skiff-Instance"));
        given().body("direct").when().post("http://127.0.0.1:" + second.get("port") + "/")
                .then().statusCode(200).body(equalTo(guestKernel + " /opt/java/jre " + GREETING + ": direct"));
    }

    @Test
    void secretsReachTheGuestAndAChangedValueIsNeverRestoredFromAnOldSnapshot() throws IOException {
        given().contentType(ContentType.JSON).body("{\"name\":\"vm-token\",\"value\":\"first-value\"}")
                .when().post(api.gateway() + "/system/secrets").then().statusCode(201);
        Path script = api.script("vm-secret.sh", "echo \"$SKIFF_SECRETS_DIR: $(cat \"$SKIFF_SECRETS_DIR/vm-token\") $VM_TOKEN\"");
        api.deployExec("vm-secret", script, ",\"idleTimeoutSeconds\":3,\"secrets\":[\"vm-token\"],"
                + "\"secretEnvVars\":{\"VM_TOKEN\":\"vm-token\"}");
        api.invoke("vm-secret", "").then().statusCode(200)
                .body(equalTo("/var/openfaas/secrets: first-value first-value\n"));

        // the first VM was saved as the version's snapshot; a new value must boot a new guest, not restore that one
        given().contentType(ContentType.JSON).body("{\"name\":\"vm-token\",\"value\":\"second-value\"}")
                .when().put(api.gateway() + "/system/secrets").then().statusCode(200);
        await("idle VM killed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.instancesOf("vm-secret").isEmpty());
        api.invoke("vm-secret", "").then().statusCode(200).header("X-Skiff-Start", "cold")
                .body(equalTo("/var/openfaas/secrets: second-value second-value\n"));
    }

    @Test
    void aGuestCannotReachServicesOnTheHostsLoopback() throws IOException {
        // QEMU's user networking maps 10.0.2.2 to the host's loopback: the agent's API, the other
        // VMs' forwarded ports, and on one host the gateway, the store and NATS listen there
        int agentPort = Integer.parseInt(skiff.agentUrl().replaceAll(".*:", ""));
        Path script = api.script("reach-host.sh", """
                answer=$(printf 'GET /q/health/live HTTP/1.0\\r\\n\\r\\n' | nc -w 3 10.0.2.2 "$AGENT_PORT" 2>&1 | head -1)
                case $answer in
                  HTTP/*) echo "host loopback reachable: $answer" ;;
                  *) echo "host loopback unreachable" ;;
                esac
                """);
        api.deployExec("reach-host", script, ",\"envVars\":{\"AGENT_PORT\":\"" + agentPort + "\"}");
        api.invoke("reach-host", "").then().statusCode(200).body(equalTo("host loopback unreachable\n"));
    }

    @Test
    void aSecondInstanceIsRestoredFromTheFirstOnesSnapshotAndAnswers() throws IOException {
        deploy("restored", ",\"idleTimeoutSeconds\":120");
        Response first = api.invoke("restored", "first");
        first.then().statusCode(200).header("X-Skiff-Start", "cold").body(containsString(guestKernel));
        Map<String, Object> second = secondInstanceRestoredFrom("restored", first.header("X-Skiff-Instance"));

        // straight to the restored VM's forwarded port: it alone answers this call
        given().body("direct").when().post("http://127.0.0.1:" + second.get("port") + "/")
                .then().statusCode(200).body(matchesPattern(Pattern.quote(guestKernel + " [console=ttyS0 ") + "[^\\]]*" + Pattern.quote("] " + GREETING + ": direct\n")));
        assertTrue(Files.list(skiff.work.resolve("node-agent/snapshots")).anyMatch(p -> p.toString().endsWith(".state")));
    }

    /**
     * Waits for the first VM's snapshot, scales the function to two and returns the second
     * instance, checked to be a restored one and another VM.
     */
    private static Map<String, Object> secondInstanceRestoredFrom(String function, String firstId) {
        await("the first VM saved").atMost(BOOT).until(() -> agentLog().contains("instance " + firstId + " saved as snapshot"));
        given().contentType(ContentType.JSON).body("{\"serviceName\":\"" + function + "\",\"replicas\":2}")
                .when().post(skiff.gatewayUrl() + "/system/scale-function/" + function).then().statusCode(202);
        await("a second VM ready").atMost(BOOT).pollInterval(Duration.ofMillis(250))
                .until(() -> api.instancesOf(function).stream().filter(i -> "READY".equals(i.get("state"))).count() == 2);
        Map<String, Object> second = api.instancesOf(function).stream().filter(i -> !firstId.equals(i.get("id")))
                .findFirst().orElseThrow();
        try {
            assertTrue(agentLog().contains("instance " + second.get("id") + " restored from snapshot"),
                    "the second instance was restored, not booted");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertNotEquals(instance(function, firstId).get("pid"), second.get("pid"), "two VMs");
        return second;
    }

    private static void deploy(String function, String extra) throws IOException {
        Path script = api.script(function + ".sh", HANDLER);
        String image = api.upload(function, script);
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"%s\",\"image\":\"%s\",\"runtime\":\"exec\",\"handler\":\"%s\",\"envVars\":{\"GREETING\":\"%s\"}%s}"
                        .formatted(function, image, script.getFileName(), GREETING.replace("\"", "\\\""), extra))
                .when().post(api.gateway() + "/system/functions").then().statusCode(202);
    }

    /** A java function that tells where it runs: the kernel under its JVM, its JVM's home, its env. */
    private static Path compileWhereAmI() throws IOException {
        Path dir = Files.createTempDirectory("where-am-i");
        Path source = dir.resolve("skiff/it/WhereAmI.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package skiff.it;
                public final class WhereAmI implements java.util.function.Function<String, String> {
                    public String apply(String body) {
                        return System.getProperty("os.version") + " " + System.getProperty("java.home") + " "
                                + System.getenv("GREETING") + ": " + body;
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", dir.resolve("classes").toString(), source.toString()),
                "the test function compiles");
        Path jar = dir.resolve("where-am-i.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("skiff/it/WhereAmI.class"));
            out.write(Files.readAllBytes(dir.resolve("classes/skiff/it/WhereAmI.class")));
            out.closeEntry();
        }
        return jar;
    }

    private static Map<String, Object> instance(String function, String id) {
        List<Map<String, Object>> instances = api.instancesOf(function);
        return instances.stream().filter(i -> id.equals(i.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + id + " in " + instances));
    }

    private static String agentLog() throws IOException {
        return Files.readString(skiff.work.resolve("node-agent.log"), StandardCharsets.UTF_8);
    }

    /**
     * Builds (or finds up to date) the exec base image with the repository's script; fails naming the
     * Debian packages to install when the machine lacks them. Returns the guest kernel's release.
     */
    private static String buildBaseImage(Path root) throws IOException, InterruptedException {
        if (!onPath("qemu-system-x86_64")) {
            fail("qemu-system-x86_64 is missing: apt-get install -y qemu-system-x86 busybox-static linux-image-cloud-amd64 cpio");
        }
        Path log = Files.createTempFile("build-base-image", ".log");
        Process build = new ProcessBuilder(root.resolve("images/build-base-image.sh").toString(), "exec", "java")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
            build.destroyForcibly();
            fail("images/build-base-image.sh failed: " + Files.readString(log));
        }
        return Files.readString(root.resolve("images/out/exec/kernel-release")).trim();
    }

    private static boolean onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
