package dev.skiff.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against fabric8's Kubernetes API server in CRUD mode (real requests, an in-memory etcd), one namespace per test. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSecretStoreTest {
    static KubernetesClient client;
    private KubernetesSecretStore store;

    @BeforeEach
    void start() {
        store = new KubernetesSecretStore(client);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createdSecretIsALabelledOpaqueSecretInTheNamespace() {
        assertTrue(store.create(Secret.single("team-a", "db-password", bytes("s3cret"))));
        io.fabric8.kubernetes.api.model.Secret stored = client.secrets().inNamespace("team-a").withName("db-password").get();
        assertEquals("Opaque", stored.getType());
        assertEquals("true", stored.getMetadata().getLabels().get(KubernetesSecretStore.LABEL));
        assertEquals(Base64.getEncoder().encodeToString(bytes("s3cret")), stored.getData().get("db-password"));
        assertArrayEquals(bytes("s3cret"), store.get("team-a", "db-password").orElseThrow().data().get("db-password"));
        assertEquals(List.of("db-password"), store.names("team-a"));
        assertFalse(store.create(Secret.single("team-a", "db-password", bytes("other"))));
    }

    @Test
    void unlabelledSecretsAreInvisibleAndUntouchable() {
        client.secrets().inNamespace("team-x").resource(new SecretBuilder().withNewMetadata().withName("sa-token").endMetadata()
                .withData(Map.of("token", Base64.getEncoder().encodeToString(bytes("cluster-admin")))).build()).create();
        assertTrue(store.get("team-x", "sa-token").isEmpty());
        assertEquals(List.of(), store.names("team-x"));
        assertFalse(store.replace(Secret.single("team-x", "sa-token", bytes("x"))));
        assertFalse(store.delete("team-x", "sa-token"));
        assertEquals(Base64.getEncoder().encodeToString(bytes("cluster-admin")),
                client.secrets().inNamespace("team-x").withName("sa-token").get().getData().get("token"));
    }

    @Test
    void aSecretLabelledByAnOperatorGivesAllItsKeys() {
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("db")
                .addToLabels(KubernetesSecretStore.LABEL, "true").endMetadata()
                .withData(Map.of("user", Base64.getEncoder().encodeToString(bytes("admin")),
                        "password", Base64.getEncoder().encodeToString(bytes("hunter2")))).build()).create();
        Secret db = store.get("default", "db").orElseThrow();
        assertEquals(List.of("password", "user"), List.copyOf(db.data().keySet()));
        assertArrayEquals(bytes("hunter2"), db.data().get("password"));
    }

    @Test
    void replaceAndDeleteChangeOnlySkiffSecrets() {
        assertFalse(store.replace(Secret.single("ns", "k", bytes("v"))));
        store.create(Secret.single("ns", "k", bytes("v1")));
        assertTrue(store.replace(Secret.single("ns", "k", bytes("v2"))));
        assertArrayEquals(bytes("v2"), store.get("ns", "k").orElseThrow().data().get("k"));
        assertTrue(store.delete("ns", "k"));
        assertNull(client.secrets().inNamespace("ns").withName("k").get());
        assertFalse(store.delete("ns", "k"));
    }

    @Test
    void anUnreachableApiIsAStoreFailureThatQuotesNoValue() {
        try (KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build()) {
            KubernetesSecretStore unreachable = new KubernetesSecretStore(nowhere);
            SecretStoreException e = assertThrows(SecretStoreException.class,
                    () -> unreachable.create(Secret.single("ns", "k", bytes("do-not-print-me"))));
            assertFalse(e.getMessage().contains("do-not-print-me"), e.getMessage());
            assertThrows(SecretStoreException.class, () -> unreachable.get("ns", "k"));
        }
    }
}
