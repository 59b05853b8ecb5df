package dev.skiff.gateway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.Keyword;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.skiff.gateway.kubernetes.model.FunctionResource;
import dev.skiff.gateway.kubernetes.model.FunctionResourceSpec;
import dev.skiff.gateway.kubernetes.model.FunctionResourceStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Function CRD: it parses as a CustomResourceDefinition, is a structural schema, names the
 * same fields as the controller's model, and its OpenAPI schema (checked by a JSON Schema
 * validator) accepts every sample under examples/kubernetes and rejects invalid Functions.
 */
class FunctionCrdTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CRD = ROOT.resolve("deploy/kubernetes/crd/functions.skiff.dev.yaml");
    private static final Path EXAMPLES = ROOT.resolve("examples/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Kubernetes' schema extensions: checked by the API server (CEL, list semantics), not by JSON Schema. */
    private static final List<Keyword> KUBERNETES_EXTENSIONS = Stream.of("x-kubernetes-validations",
            "x-kubernetes-list-type", "x-kubernetes-list-map-keys").map(k -> (Keyword) new NonValidationKeyword(k)).toList();

    @Test
    void crdParsesAndNamesTheControllersResource() throws IOException {
        CustomResourceDefinition crd = crd();
        assertEquals(HasMetadata.getFullResourceName(FunctionResource.class), crd.getMetadata().getName());
        assertEquals(HasMetadata.getGroup(FunctionResource.class), crd.getSpec().getGroup());
        assertEquals(HasMetadata.getKind(FunctionResource.class), crd.getSpec().getNames().getKind());
        assertEquals(HasMetadata.getPlural(FunctionResource.class), crd.getSpec().getNames().getPlural());
        assertEquals("Namespaced", crd.getSpec().getScope());
        CustomResourceDefinitionVersion v1 = version(crd);
        assertTrue(v1.getServed() && v1.getStorage());
        assertNotNull(v1.getSubresources().getStatus(), "status is a subresource");
        assertEquals(List.of("Ready", "Image", "Replicas", "URL", "Reason", "Age"),
                v1.getAdditionalPrinterColumns().stream().map(CustomResourceColumnDefinition::getName).toList());
        JSONSchemaProps spec = v1.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertEquals(Set.of("image", "runtime", "handler"), Set.copyOf(spec.getRequired()));
        assertEquals(List.of("java", "exec"), spec.getProperties().get("runtime").getEnum().stream().map(JsonNode::asText).toList());
    }

    @Test
    void schemaIsStructural() throws IOException {
        List<String> problems = new ArrayList<>();
        structural(schemaNode(), "openAPIV3Schema", problems);
        assertEquals(List.of(), problems);
    }

    @Test
    void schemaNamesExactlyTheFieldsOfTheControllersModel() throws IOException {
        JsonNode properties = schemaNode().path("properties");
        assertEquals(beanProperties(FunctionResourceSpec.class), fieldNames(properties.path("spec").path("properties")));
        assertEquals(beanProperties(FunctionResourceStatus.class), fieldNames(properties.path("status").path("properties")));
    }

    @Test
    void everySampleIsAcceptedAndReadByTheController() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            samples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(samples.size() >= 2, "examples/kubernetes holds an exec and a java sample");
        Set<String> runtimes = new TreeSet<>();
        for (Path sample : samples) {
            JsonNode function = YAML.readTree(sample.toFile());
            assertEquals(List.of(), errors(function), sample + " is valid");
            FunctionResource resource = Serialization.unmarshal(Files.readString(sample), FunctionResource.class);
            assertEquals("skiff.dev/v1", resource.getApiVersion(), sample.toString());
            assertEquals("Function", resource.getKind(), sample.toString());
            runtimes.add(resource.getSpec().getRuntime());
        }
        assertEquals(Set.of("exec", "java"), runtimes);
    }

    @Test
    void functionWithoutImageIsRejected() throws IOException {
        ObjectNode function = sample();
        ((ObjectNode) function.path("spec")).remove("image");
        assertRejected(function, "image");
    }

    @Test
    void negativeMinScaleIsRejected() throws IOException {
        ObjectNode function = sample();
        ((ObjectNode) function.path("spec")).put("minScale", -1);
        assertRejected(function, "minScale");
    }

    @Test
    void unknownRuntimeIsRejected() throws IOException {
        ObjectNode function = sample();
        ((ObjectNode) function.path("spec")).put("runtime", "cobol");
        assertRejected(function, "runtime");
    }

    @Test
    void outOfRangeOrMistypedFieldsAreRejected() throws IOException {
        Map<String, Object> bad = Map.of(
                "memory", "lots",
                "cpu", "one",
                "concurrency", 0,
                "maxScale", 0,
                "idleTimeoutSeconds", 0,
                "handler", "run me.sh",
                "image", "");
        for (Map.Entry<String, Object> field : bad.entrySet()) {
            ObjectNode function = sample();
            ((ObjectNode) function.path("spec")).set(field.getKey(), YAML.valueToTree(field.getValue()));
            assertRejected(function, field.getKey());
        }
        ObjectNode stringScale = sample();
        ((ObjectNode) stringScale.path("spec")).put("maxScale", "5");
        assertRejected(stringScale, "maxScale");
        ObjectNode numericEnv = sample();
        ((ObjectNode) numericEnv.path("spec").path("env")).put("GREETING", 5);
        assertRejected(numericEnv, "GREETING");
        ObjectNode noSpec = sample();
        noSpec.remove("spec");
        assertRejected(noSpec, "spec");
    }

    private static void assertRejected(JsonNode function, String field) {
        List<String> errors = errors(function);
        assertFalse(errors.isEmpty(), "a Function with a bad " + field + " is rejected: " + function);
        assertTrue(errors.stream().anyMatch(e -> e.contains(field)), "the error names " + field + ": " + errors);
    }

    private static List<String> errors(JsonNode function) {
        try {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, factory -> factory.metaSchema(
                    JsonMetaSchema.builder(JsonMetaSchema.getV4()).keywords(KUBERNETES_EXTENSIONS).build()))
                    .getSchema(schemaNode());
            Set<ValidationMessage> messages = schema.validate(function);
            return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The exec sample, as a tree to break. */
    private static ObjectNode sample() throws IOException {
        return (ObjectNode) YAML.readTree(EXAMPLES.resolve("hello.yaml").toFile());
    }

    private static CustomResourceDefinition crd() throws IOException {
        return Serialization.unmarshal(Files.readString(CRD), CustomResourceDefinition.class);
    }

    private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().stream().filter(v -> v.getName().equals(FunctionResource.VERSION)).findFirst().orElseThrow();
    }

    private static JsonNode schemaNode() throws IOException {
        for (JsonNode version : YAML.readTree(CRD.toFile()).path("spec").path("versions")) {
            if (version.path("name").asText().equals(FunctionResource.VERSION)) {
                return version.path("schema").path("openAPIV3Schema");
            }
        }
        throw new IllegalStateException("no version " + FunctionResource.VERSION + " in " + CRD);
    }

    /**
     * Kubernetes' structural schema rules that matter here: every node has a type (the root's
     * metadata may not say more than its type), and no object has both properties and
     * additionalProperties.
     */
    private static void structural(JsonNode node, String where, List<String> problems) {
        if (!node.has("type") && !node.path("x-kubernetes-int-or-string").asBoolean()
                && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            problems.add(where + " has no type");
        }
        if (node.has("properties") && node.has("additionalProperties")) {
            problems.add(where + " has both properties and additionalProperties");
        }
        node.path("properties").fields().forEachRemaining(p -> structural(p.getValue(), where + "." + p.getKey(), problems));
        if (node.path("additionalProperties").isObject()) {
            structural(node.path("additionalProperties"), where + "[*]", problems);
        }
        if (node.has("items")) {
            structural(node.path("items"), where + "[]", problems);
        }
    }

    private static Set<String> beanProperties(Class<?> type) {
        ObjectMapper json = new ObjectMapper();
        JavaType javaType = json.constructType(type);
        return json.getSerializationConfig().introspect(javaType).findProperties().stream()
                .map(BeanPropertyDefinition::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> fieldNames(JsonNode properties) {
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
