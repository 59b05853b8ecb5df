package dev.skiff.secrets;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A secret: named keys with byte values, in a namespace. Its {@link #toString()} names the keys and
 * never a value, so a secret that reaches a log line or an exception message gives nothing away.
 *
 * @param namespace the namespace it belongs to (a tenant's, as functions are)
 * @param name      its name ({@link dev.skiff.contracts.Names#SECRET})
 * @param data      key to value; each key becomes a file of that name in an instance
 */
public record Secret(String namespace, String name, Map<String, byte[]> data) {
    /** The most one secret may hold, all keys together: it travels in every instance's boot archive. */
    public static final int MAX_BYTES = 512 * 1024;

    public Secret {
        data = Collections.unmodifiableMap(new TreeMap<>(data));
    }

    /** A secret of one key named like the secret itself, as OpenFaaS' secrets API makes them. */
    public static Secret single(String namespace, String name, byte[] value) {
        return new Secret(namespace, name, Map.of(name, value));
    }

    /** Bytes of all values together. */
    public long size() {
        return data.values().stream().mapToLong(v -> v.length).sum();
    }

    @Override
    public String toString() {
        return "Secret[" + namespace + "/" + name + ", keys=" + data.keySet() + "]";
    }
}
