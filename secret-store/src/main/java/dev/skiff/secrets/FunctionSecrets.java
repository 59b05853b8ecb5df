package dev.skiff.secrets;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.Names;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret material one instance of a function gets, read from the store when the instance
 * starts: files (every key of every secret in {@link FunctionSpec#secrets()}, a file named after
 * the key) and environment variables ({@link FunctionSpec#secretEnv()}). Its {@link #toString()}
 * names files and variables, never values.
 *
 * @param files key to value, for the instance's secrets directory
 * @param env   variable name to value
 */
public record FunctionSecrets(Map<String, byte[]> files, Map<String, String> env) {
    /** Where an instance finds its secret files (OpenFaaS' path); {@value #DIR_ENV} names it in every driver. */
    public static final String GUEST_DIR = "/var/openfaas/secrets";
    /** The variable that names an instance's secrets directory. */
    public static final String DIR_ENV = "SKIFF_SECRETS_DIR";
    public static final FunctionSecrets NONE = new FunctionSecrets(Map.of(), Map.of());

    public FunctionSecrets {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        env = Collections.unmodifiableMap(new TreeMap<>(env));
    }

    /** A secret reference of {@link FunctionSpec#secretEnv()}: {@code secret} or {@code secret/key}. */
    public record Ref(String secret, String key) {
        public static final String PATTERN = "(" + Names.SECRET + ")(/(" + Names.SECRET_KEY + "))?";

        public static Ref parse(String text) {
            int slash = text.indexOf('/');
            Ref ref = slash < 0 ? new Ref(text, null) : new Ref(text.substring(0, slash), text.substring(slash + 1));
            if (!ref.secret.matches(Names.SECRET) || (ref.key != null && !Names.isSecretKey(ref.key))) {
                throw new IllegalArgumentException("'" + text + "' is not a secret reference (secret or secret/key)");
            }
            return ref;
        }
    }

    /**
     * Reads what a function's spec names from the store.
     *
     * @throws SecretException naming what is missing or unusable (never a value)
     */
    public static FunctionSecrets resolve(FunctionSpec spec, SecretStore store) {
        if (spec.secrets().isEmpty() && spec.secretEnv().isEmpty()) {
            return NONE;
        }
        String namespace = FunctionSpec.namespaceOf(spec);
        Map<String, Secret> read = new LinkedHashMap<>();
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        for (String name : spec.secrets()) {
            Secret secret = read.computeIfAbsent(name, n -> fetch(store, namespace, n, "secrets"));
            for (Map.Entry<String, byte[]> entry : secret.data().entrySet()) {
                String owner = owners.putIfAbsent(entry.getKey(), name);
                if (owner != null && !owner.equals(name)) {
                    throw new SecretException("secrets", "secrets " + owner + " and " + name + " both hold a key '" + entry.getKey()
                            + "': each key is a file in the instance's secrets directory");
                }
                files.put(entry.getKey(), entry.getValue());
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> variable : spec.secretEnv().entrySet()) {
            String field = "secretEnv[" + variable.getKey() + "]";
            try {
                Ref ref = Ref.parse(variable.getValue());
                Secret secret = read.computeIfAbsent(ref.secret(), n -> fetch(store, namespace, n, field));
                env.put(variable.getKey(), text(secret, key(secret, ref), variable.getKey()));
            } catch (SecretException | IllegalArgumentException e) {
                throw new SecretException(field, e.getMessage());
            }
        }
        return new FunctionSecrets(files, env);
    }

    private static Secret fetch(SecretStore store, String namespace, String name, String field) {
        return store.get(namespace, name).orElseThrow(() -> new SecretException(field,
                "secret " + name + " not found in namespace " + namespace + " (" + store.kind() + " store)"));
    }

    /** The key a reference means: the one it names, else the secret's only key, else the key named like the secret. */
    private static String key(Secret secret, Ref ref) {
        if (ref.key() != null) {
            if (!secret.data().containsKey(ref.key())) {
                throw new SecretException("secret " + secret.name() + " has no key '" + ref.key() + "' (keys: " + secret.data().keySet() + ")");
            }
            return ref.key();
        }
        if (secret.data().size() == 1) {
            return secret.data().keySet().iterator().next();
        }
        if (secret.data().containsKey(secret.name())) {
            return secret.name();
        }
        throw new SecretException("secret " + secret.name() + " has keys " + secret.data().keySet()
                + ": name one as " + secret.name() + "/<key>");
    }

    /** A value as an environment variable: UTF-8 text without NUL, which an environment cannot hold. */
    private static String text(Secret secret, String key, String variable) {
        byte[] value = secret.data().get(key);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new CharacterCodingException();
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new SecretException("key '" + key + "' of secret " + secret.name() + " is not text without NUL bytes, so it cannot be "
                    + variable + "'s value; give it as a file (secrets) instead");
        }
    }

    public boolean isEmpty() {
        return files.isEmpty() && env.isEmpty();
    }

    /**
     * A short keyed digest of the material (HMAC-SHA256 under {@code key}): tells two versions of a
     * function's secrets apart for cache and snapshot names without being a way to test guesses
     * at a value, which a plain hash of a short password would be.
     */
    public String fingerprint(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                field(mac, "f" + file.getKey());
                field(mac, file.getValue());
            }
            for (Map.Entry<String, String> variable : env.entrySet()) {
                field(mac, "e" + variable.getKey());
                field(mac, variable.getValue());
            }
            return HexFormat.of().formatHex(mac.doFinal(), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Length-prefixed, so that no two different sets of fields feed the MAC the same bytes. */
    private static void field(Mac mac, String text) {
        field(mac, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(Mac mac, byte[] bytes) {
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }

    @Override
    public String toString() {
        return "FunctionSecrets[files=" + List.copyOf(files.keySet()) + ", env=" + List.copyOf(env.keySet()) + "]";
    }
}
