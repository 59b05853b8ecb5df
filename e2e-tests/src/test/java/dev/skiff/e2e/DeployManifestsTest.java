package dev.skiff.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ and examples/ hold what users apply and import: every manifest parses and names what it
 * is, every kustomization finds its files, the dashboards are Grafana JSON Grafana can load, and
 * the base says what the platform needs (probes, resources, the store token, least privilege).
 */
class DeployManifestsTest {
    static final Path ROOT = Path.of(System.getProperty("skiff.root", "..")).toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path BASE = DEPLOY.resolve("kubernetes");
    static final Path DASHBOARDS = DEPLOY.resolve("grafana/dashboards");
    static final List<String> SERVICES = List.of("gateway-service", "scheduler-service", "function-store", "node-agent");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyYamlAndJsonFileParsesAndEveryKubernetesObjectIsNamed() throws IOException {
        List<Path> files = files(DEPLOY, ".yaml", ".yml", ".json");
        files.addAll(files(ROOT.resolve("examples"), ".yaml", ".yml", ".json").stream()
                .filter(f -> !f.toString().contains("/target/")).toList());
        assertTrue(files.size() >= 20, "deploy/ holds the manifests, dashboards and configs: " + files);
        for (Path file : files) {
            for (JsonNode doc : documents(file)) {
                boolean kubernetes = inKubernetesTree(file) || doc.has("kind");
                if (!kubernetes || file.toString().endsWith(".json")) {
                    continue;
                }
                assertTrue(doc.path("apiVersion").isTextual(), file + ": apiVersion missing");
                assertTrue(doc.path("kind").isTextual(), file + ": kind missing");
                String kind = doc.get("kind").asText();
                if (!kind.equals("Kustomization") && !kind.equals("Component")) {
                    assertTrue(doc.path("metadata").path("name").isTextual(), file + ": metadata.name missing in a " + kind);
                }
            }
        }
    }

    @Test
    void everyKustomizationFindsItsResourcesComponentsAndGeneratedFiles() throws IOException {
        List<Path> kustomizations = files(DEPLOY, "kustomization.yaml");
        assertTrue(kustomizations.contains(BASE.resolve("kustomization.yaml")), "the base is deploy/kubernetes");
        for (Path kustomization : kustomizations) {
            Path dir = kustomization.getParent();
            JsonNode k = documents(kustomization).get(0);
            for (String list : List.of("resources", "components")) {
                for (JsonNode entry : k.path(list)) {
                    Path target = dir.resolve(entry.asText()).normalize();
                    assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")),
                            kustomization + ": " + list + " entry " + entry.asText() + " does not exist");
                }
            }
            for (JsonNode generator : k.path("configMapGenerator")) {
                for (JsonNode file : generator.path("files")) {
                    String name = file.asText().contains("=") ? file.asText().split("=", 2)[1] : file.asText();
                    assertTrue(Files.isRegularFile(dir.resolve(name)), kustomization + ": generated from missing " + name);
                }
            }
        }
        List<String> resources = new ArrayList<>();
        documents(BASE.resolve("kustomization.yaml")).get(0).path("resources").forEach(r -> resources.add(r.asText()));
        assertTrue(resources.contains("crd/functions.skiff.dev.yaml"), "the base installs the Function CRD");
        try (Stream<Path> manifests = Files.list(BASE)) {
            manifests.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{3}-.*\\.yaml"))
                    .forEach(n -> assertTrue(resources.contains(n), n + " is in deploy/kubernetes but not in its kustomization"));
        }
        List<String> dashboards = new ArrayList<>();
        documents(DEPLOY.resolve("grafana/kustomization.yaml")).get(0).path("configMapGenerator")
                .forEach(g -> g.path("files").forEach(f -> dashboards.add(f.asText())));
        for (Path dashboard : files(DASHBOARDS, ".json")) {
            assertTrue(dashboards.contains("dashboards/" + dashboard.getFileName()), dashboard + " is not provisioned");
        }
    }

    @Test
    void dashboardsAreGrafanaJsonWithUniquePanelIdsAndPrometheusQueries() throws IOException {
        List<Path> dashboards = files(DASHBOARDS, ".json");
        assertFalse(dashboards.isEmpty(), "no dashboards in " + DASHBOARDS);
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertTrue(dashboard.path("uid").isTextual() && uids.add(dashboard.get("uid").asText()), file + ": uid missing or not unique");
            assertTrue(dashboard.path("title").isTextual(), file + ": title missing");
            assertTrue(dashboard.path("schemaVersion").isInt(), file + ": schemaVersion missing");
            assertTrue(dashboard.path("panels").isArray() && dashboard.get("panels").size() > 0, file + ": no panels");
            Set<String> variables = new HashSet<>();
            dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
            Set<Integer> ids = new HashSet<>();
            List<JsonNode> panels = new ArrayList<>();
            dashboard.get("panels").forEach(p -> {
                panels.add(p);
                p.path("panels").forEach(panels::add);
            });
            for (JsonNode panel : panels) {
                assertTrue(panel.path("id").isInt(), file + ": panel without id: " + panel.path("title"));
                assertTrue(ids.add(panel.get("id").asInt()), file + ": panel id " + panel.get("id") + " used twice");
                assertTrue(panel.path("gridPos").has("w") && panel.path("gridPos").has("h"), file + ": panel without gridPos");
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertTrue(panel.path("targets").size() > 0, file + ": panel " + panel.path("title") + " queries nothing");
                for (JsonNode target : panel.get("targets")) {
                    String expr = target.path("expr").asText();
                    assertFalse(expr.isBlank(), file + ": empty query in " + panel.path("title"));
                    for (String variable : PromQueries.variablesIn(expr)) {
                        assertTrue(variables.contains(variable) || variable.startsWith("__"),
                                file + ": " + panel.path("title") + " uses $" + variable + ", which the dashboard does not define");
                    }
                }
            }
        }
    }

    @Test
    void everyServiceHasProbesResourcesAndScrapeAnnotations() throws IOException {
        Map<String, JsonNode> workloads = workloads();
        assertEquals(Set.of("Deployment/gateway-service", "Deployment/scheduler-service", "StatefulSet/function-store",
                "DaemonSet/node-agent"), workloads.keySet());
        for (Map.Entry<String, JsonNode> workload : workloads.entrySet()) {
            JsonNode template = workload.getValue().path("spec").path("template");
            JsonNode container = template.path("spec").path("containers").get(0);
            int port = container.path("ports").get(0).path("containerPort").asInt();
            String what = workload.getKey();
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText(), what);
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText(), what);
            assertEquals(port, container.path("readinessProbe").path("httpGet").path("port").asInt(), what);
            for (String bound : List.of("requests", "limits")) {
                assertTrue(container.path("resources").path(bound).has("cpu") && container.path("resources").path(bound).has("memory"),
                        what + ": resources." + bound + " needs cpu and memory");
            }
            JsonNode annotations = template.path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), what);
            assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), what);
            assertEquals(Integer.toString(port), annotations.path("prometheus.io/port").asText(), what);
            assertTrue(container.path("image").asText().startsWith("ghcr.io/skiff-dev/" + container.path("name").asText() + ":"), what);
        }
        JsonNode store = workloads.get("StatefulSet/function-store");
        assertEquals("data", store.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText());
        JsonNode agent = workloads.get("DaemonSet/node-agent").path("spec").path("template").path("spec");
        JsonNode agentSecurity = agent.path("containers").get(0).path("securityContext");
        assertFalse(agentSecurity.path("privileged").asBoolean(false), "the node agent is not privileged");
        assertEquals(List.of("NET_ADMIN"), YAML.convertValue(agentSecurity.path("capabilities").path("add"), List.class));
        List<String> hostPaths = new ArrayList<>();
        agent.path("volumes").forEach(v -> {
            if (v.has("hostPath")) {
                hostPaths.add(v.path("hostPath").path("path").asText());
            }
        });
        assertEquals(List.of("/dev/kvm", "/dev/net/tun"), hostPaths, "the agent sees these host paths and no others");
    }

    @Test
    void storeTokenComesFromOneSecretAndEachServiceMayDoExactlyItsPartInKubernetes() throws IOException {
        JsonNode secret = only("Secret", "skiff-store-token");
        assertTrue(secret.path("stringData").has("push-token"), "the Secret holds push-token");
        assertEquals("skiff-store-token/push-token", secretRef(workloads().get("StatefulSet/function-store"), "SKIFF_STORE_AUTH_PUSH_TOKEN"));
        assertEquals("skiff-store-token/push-token", secretRef(workloads().get("Deployment/gateway-service"), "SKIFF_GATEWAY_STORE_TOKEN"));
        for (String workload : List.of("Deployment/gateway-service", "Deployment/scheduler-service", "DaemonSet/node-agent")) {
            assertEquals("skiff-store-token/internal-token", secretRef(workloads().get(workload), "SKIFF_INTERNAL_TOKEN"),
                    workload + " presents (or checks) the internal token");
        }
        assertEquals("true", only("ConfigMap", "gateway-service").path("data").path("SKIFF_GATEWAY_KUBERNETES_CONTROLLER_ENABLED").asText());

        Map<String, Set<String>> granted = new TreeMap<>();
        for (JsonNode role : base().stream().filter(d -> d.path("kind").asText().matches("(Cluster)?Role")).toList()) {
            Set<String> rules = new HashSet<>();
            for (JsonNode rule : role.path("rules")) {
                for (JsonNode group : rule.path("apiGroups")) {
                    for (JsonNode resource : rule.path("resources")) {
                        for (JsonNode verb : rule.path("verbs")) {
                            rules.add(group.asText() + "/" + resource.asText() + ":" + verb.asText());
                        }
                    }
                }
            }
            granted.put(role.path("metadata").path("name").asText(), rules);
        }
        // exactly what each does (src-docs/kubernetes.md): the controller reads and PUTs, never PATCH, no Events;
        // the gateway's secrets API manages Secrets; an agent only reads them
        Map<String, Set<String>> expected = Map.of(
                "skiff-function-controller", Set.of("skiff.dev/functions:get", "skiff.dev/functions:list", "skiff.dev/functions:watch",
                        "skiff.dev/functions:update", "skiff.dev/functions/status:get", "skiff.dev/functions/status:update",
                        "skiff.dev/functions/finalizers:update"),
                "skiff-secrets-manager", Set.of("/secrets:get", "/secrets:list", "/secrets:create", "/secrets:update", "/secrets:delete"),
                "skiff-secrets-reader", Set.of("/secrets:get"));
        assertEquals(new TreeMap<>(expected), granted, "each role's rules, and no other role");
        assertEquals("*", only("ConfigMap", "gateway-service").path("data").path("SKIFF_GATEWAY_KUBERNETES_CONTROLLER_NAMESPACE").asText(),
                "a ClusterRole goes with a controller watching every namespace");
        Map<String, String> bound = new TreeMap<>();
        for (JsonNode binding : base().stream().filter(d -> d.path("kind").asText().matches("(Cluster)?RoleBinding")).toList()) {
            assertEquals(1, binding.path("subjects").size());
            bound.put(binding.path("roleRef").path("name").asText(), binding.path("subjects").get(0).path("name").asText());
        }
        assertEquals(Map.of("skiff-function-controller", "gateway-service", "skiff-secrets-manager", "gateway-service",
                "skiff-secrets-reader", "node-agent"), bound);
        for (String service : List.of("gateway-service", "node-agent")) {
            assertEquals("kubernetes", only("ConfigMap", service).path("data").path("SKIFF_SECRETS_STORE").asText(),
                    service + " reads functions' secrets from Kubernetes Secrets");
        }
        for (JsonNode account : base().stream().filter(d -> d.path("kind").asText().equals("ServiceAccount")).toList()) {
            String name = account.path("metadata").path("name").asText();
            assertEquals(Set.of("gateway-service", "node-agent").contains(name), account.path("automountServiceAccountToken").asBoolean(true),
                    name + ": only the gateway and the agents get an API token");
        }
    }

    /** The base follows what each service's Quarkus Kubernetes build writes: image, port, probes, kind. */
    @Test
    void baseMatchesWhatQuarkusKubernetesGenerates() throws IOException {
        Map<String, JsonNode> workloads = workloads();
        for (String service : SERVICES) {
            Path generated = ROOT.resolve(service).resolve("target/kubernetes/kubernetes.yml");
            assertTrue(Files.isRegularFile(generated), generated + " is missing: package " + service + " first");
            JsonNode ours = workloads.values().stream().filter(w -> w.path("metadata").path("name").asText().equals(service))
                    .findFirst().orElseThrow();
            JsonNode theirs = documents(generated).stream()
                    .filter(d -> d.path("kind").asText().matches("Deployment|StatefulSet"))
                    .findFirst().orElseThrow(() -> new AssertionError(generated + " has no workload"));
            if (!service.equals("node-agent")) {
                assertEquals(theirs.path("kind").asText(), ours.path("kind").asText(), service);
            }
            JsonNode a = ours.path("spec").path("template").path("spec").path("containers").get(0);
            JsonNode b = theirs.path("spec").path("template").path("spec").path("containers").get(0);
            assertEquals(b.path("image").asText(), a.path("image").asText(), service + " image");
            assertEquals(b.path("ports"), a.path("ports"), service + " ports");
            assertEquals(b.path("resources"), a.path("resources"), service + " resources");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertEquals(b.path(probe).path("httpGet"), a.path(probe).path("httpGet"), service + " " + probe);
            }
            assertEquals(theirs.path("spec").path("template").path("spec").path("serviceAccountName"),
                    ours.path("spec").path("template").path("spec").path("serviceAccountName"), service + " service account");
        }
    }

    /** {@code kubectl apply -f deploy/} installs what {@code kubectl apply -k deploy/kubernetes} does. */
    @Test
    void theOneFileManifestIsTheRenderedBase() throws Exception {
        Path oneFile = DEPLOY.resolve("skiff.yaml");
        Set<String> objects = new TreeSet<>();
        for (JsonNode doc : documents(oneFile)) {
            objects.add(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText());
        }
        Set<String> expected = new TreeSet<>();
        List<JsonNode> sources = new ArrayList<>(base());
        sources.addAll(documents(BASE.resolve("crd/functions.skiff.dev.yaml")));
        for (JsonNode doc : sources) {
            expected.add(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText());
        }
        assertEquals(expected, objects, "deploy/skiff.yaml holds every object of the base, and only those");
        assumeTrue(onPath("kubectl"), "kubectl is not on PATH: deploy/skiff.yaml is not compared with a fresh render");
        List<JsonNode> rendered = YAML.readValues(YAML.getFactory().createParser(kustomize(BASE)), JsonNode.class).readAll();
        assertEquals(rendered, documents(oneFile), "deploy/skiff.yaml is behind deploy/kubernetes: render it again (see its header)");
    }

    @Test
    void kustomizeRendersTheBaseAndTheMonitoringOverlay() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not on PATH: the kustomize render of deploy/ is not checked on this machine");
        String base = kustomize(BASE);
        List<JsonNode> rendered = YAML.readValues(YAML.getFactory().createParser(base), JsonNode.class).readAll();
        for (JsonNode doc : rendered) {
            String kind = doc.path("kind").asText();
            boolean clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition").contains(kind);
            assertEquals(clusterScoped ? "" : "skiff", doc.path("metadata").path("namespace").asText(""), kind + " namespace");
            assertEquals("skiff", doc.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText(),
                    kind + "/" + doc.path("metadata").path("name").asText() + " carries app.kubernetes.io/part-of");
        }
        assertTrue(base.contains("kind: CustomResourceDefinition"), "the base installs the Function CRD");
        String monitoring = kustomize(DEPLOY.resolve("overlays/monitoring"));
        assertTrue(monitoring.contains("kind: ServiceMonitor"), monitoring);
        assertTrue(monitoring.contains("grafana_dashboard: \"1\""), "dashboards ConfigMap carries the sidecar's label");
    }

    private static String kustomize(Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + ":\n" + text);
        return text;
    }

    static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static String secretRef(JsonNode workload, String env) {
        for (JsonNode var : workload.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            if (var.path("name").asText().equals(env)) {
                JsonNode ref = var.path("valueFrom").path("secretKeyRef");
                return ref.path("name").asText() + "/" + ref.path("key").asText();
            }
        }
        return fail(workload.path("metadata").path("name").asText() + " has no env " + env);
    }

    private static JsonNode only(String kind, String name) throws IOException {
        List<JsonNode> found = base().stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).toList();
        assertEquals(1, found.size(), kind + "/" + name + " in the base");
        return found.get(0);
    }

    private static Map<String, JsonNode> workloads() throws IOException {
        Map<String, JsonNode> workloads = new java.util.TreeMap<>();
        for (JsonNode doc : base()) {
            if (doc.path("kind").asText().matches("Deployment|StatefulSet|DaemonSet")) {
                workloads.put(doc.get("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
            }
        }
        return workloads;
    }

    /** The objects of the base's own manifests (not the CRD, not the monitoring component). */
    private static List<JsonNode> base() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("\\d{3}-.*\\.yaml")).sorted().toList()) {
                docs.addAll(documents(file));
            }
        }
        return docs;
    }

    private static boolean inKubernetesTree(Path file) {
        return file.startsWith(DEPLOY.resolve("kubernetes")) || file.startsWith(DEPLOY.resolve("overlays"))
                || file.startsWith(ROOT.resolve("examples/kubernetes"));
    }

    /** Every document of a YAML stream (empty ones dropped), or the one of a JSON file. */
    static List<JsonNode> documents(Path file) throws IOException {
        if (file.toString().endsWith(".json")) {
            return List.of(JSON.readTree(file.toFile()));
        }
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            List<JsonNode> docs = YAML.readValues(parser, JsonNode.class).readAll();
            return docs.stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        } catch (IOException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
    }

    static List<Path> files(Path dir, String... suffixes) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return new ArrayList<>(walk.filter(Files::isRegularFile)
                    .filter(f -> Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s))).sorted().toList());
        }
    }
}
