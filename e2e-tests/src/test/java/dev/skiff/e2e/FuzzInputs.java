package dev.skiff.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generators of bad input: names, strings, numbers, JSON (well-formed, truncated or
 * broken), header values and URL segments. Everything comes from one {@link Random}, so a seed
 * replays the same inputs.
 */
final class FuzzInputs {
    /** A JSON token written as is: numbers JSON cannot hold, bare words, broken syntax. */
    record Raw(String text) {
    }

    private static final String[] NASTY_STRINGS = {
        "", " ", "..", "../..", "../../etc/passwd", "/etc/passwd", "..\\..\\windows", "a/b", "a\\b", "%2e%2e%2f",
        "\u0000", "a\u0000b", "a\nb", "a\r\nX-Injected: 1", "\t", "\u001b[31m", "\u007f", "\u202eevil", "\ufeff",
        "f\u00fcnf", "\u0663", "\ud83d\ude00", "\u4e2d\u6587", "$(id)", "`id`", "a;rm -rf /", "a|b", "a&b", "*", "?", "#",
        "-rf", "--help", "' OR 1=1 --", "<script>", "${jndi:ldap://127.0.0.1/x}", "%s%s%n", "null", "true", "0",
        "-1", "1e400", "NaN", "CON", "aux.sh", ".hidden", "a b", "a..b", "A", "UPPER", "x".repeat(64), "y".repeat(300),
        "z".repeat(5000),
    };

    private static final Object[] NASTY_NUMBERS = {
        0, -1, 1, 2147483647, 2147483648L, -2147483649L, 9223372036854775807L, new Raw("9223372036854775808"),
        new Raw("1e400"), new Raw("-1e400"), new Raw("1.5"), new Raw("1e3"), new Raw("-0"), new Raw("0.0000001"),
        new Raw("99999999999999999999999999999999"),
    };

    private final Random random;

    FuzzInputs(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    @SafeVarargs
    final <T> T oneOf(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** A string that is bad somewhere: traversal, control characters, unicode, shell syntax, length. */
    String nastyString() {
        if (chance(25)) {
            return randomText(1 + random.nextInt(40));
        }
        return NASTY_STRINGS[random.nextInt(NASTY_STRINGS.length)];
    }

    /** Random code points, control characters and surrogates included. */
    String randomText(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            int c = switch (kind) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> 0x4e00 + random.nextInt(0x100);
                case 3 -> 0x1f600 + random.nextInt(0x40);
                default -> 0x20 + random.nextInt(0x5f);
            };
            text.appendCodePoint(c);
        }
        return text.toString();
    }

    /** A function name of the fuzzer's own ({@code fz-...}): valid, so a request may go through by chance. */
    String validName() {
        return "fz-" + Integer.toString(random.nextInt(46656), 36);
    }

    /** A name that is valid now and then, and bad in every other way. */
    String name() {
        return chance(30) ? validName() : nastyString();
    }

    Object number() {
        return NASTY_NUMBERS[random.nextInt(NASTY_NUMBERS.length)];
    }

    /** Any JSON value, nested up to {@code depth}. */
    Object jsonValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2, 3 -> number();
            case 4, 5 -> nastyString();
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(jsonValue(depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(nastyString(), jsonValue(depth - 1));
                }
                yield map;
            }
        };
    }

    /** A map of random keys and values, as envVars, labels or annotations might be sent. */
    Object stringMap() {
        if (chance(20)) {
            return jsonValue(1);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            map.put(chance(50) ? nastyString() : "KEY_" + i, chance(70) ? nastyString() : jsonValue(1));
        }
        return map;
    }

    /** JSON text of {@code value}; now and then truncated, or with a syntax error spliced in. */
    String damaged(Object value) {
        String text = json(value);
        int roll = random.nextInt(10);
        if (roll == 0 && !text.isEmpty()) {
            return text.substring(0, random.nextInt(text.length()));
        }
        if (roll == 1 && !text.isEmpty()) {
            int at = random.nextInt(text.length());
            return text.substring(0, at) + oneOf("}", "]", ",", ":", "\"", "{", "\\", "\u0000", "//", "/*") + text.substring(at);
        }
        return text;
    }

    /** Bytes that are no JSON at all. */
    byte[] garbage(int max) {
        byte[] bytes = new byte[random.nextInt(max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A string as a percent-encoded URL path segment or query value (every byte outside the unreserved set). */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Minimal JSON writer that also writes {@link Raw} tokens, so the output can be wrong on purpose. */
    static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Raw raw) {
            return raw.text();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(quote(String.valueOf(k))).append(':').append(json(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(v -> out.append(out.length() > 1 ? "," : "").append(json(v)));
            return out.append(']').toString();
        }
        return quote(value.toString());
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
