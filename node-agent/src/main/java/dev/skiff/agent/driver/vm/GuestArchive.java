package dev.skiff.agent.driver.vm;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.secrets.FunctionSecrets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a function version adds to the shared base root: a pure function of its spec and code,
 * unpacked by the guest kernel over the base archive.
 * <ul>
 *   <li>{@code /code/<file>}: the version's code files, executable ones mode 0755;</li>
 *   <li>{@code /skiff/function/handler}: the handler's name, one line;</li>
 *   <li>{@code /skiff/function/concurrency} and {@code heap-mb}: calls at once, and the JVM heap of a java guest;</li>
 *   <li>{@code /skiff/function/env/<NAME>}: one file per variable holding its raw value, so the
 *       guest's init exports values without ever parsing them as shell; secret variables join them;</li>
 *   <li>{@code /var/openfaas/secrets/<key>}: the function's secret files, mode 0400 in a 0700
 *       directory, named to the guest by {@code SKIFF_SECRETS_DIR}.</li>
 * </ul>
 * Variables whose names are not portable shell names are left out (the init could not export them).
 */
public final class GuestArchive {
    /** Names the guest's init exports: a letter or underscore, then letters, digits, underscores. */
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** One code file: its name in the code directory, whether it is executable, its bytes. */
    public record CodeFile(String name, boolean executable, byte[] data) {
    }

    private GuestArchive() {
    }

    /** The archive's members, in unpacking order (directories before their files). */
    public static List<Cpio.Entry> entries(FunctionSpec spec, List<CodeFile> code, long heapMib) {
        return entries(spec, code, heapMib, FunctionSecrets.NONE);
    }

    /** The archive's members with the instance's secrets. */
    public static List<Cpio.Entry> entries(FunctionSpec spec, List<CodeFile> code, long heapMib, FunctionSecrets secrets) {
        List<Cpio.Entry> entries = new ArrayList<>(List.of(
                Cpio.Entry.directory("code"),
                Cpio.Entry.directory("skiff"),
                Cpio.Entry.directory("skiff/function"),
                Cpio.Entry.directory("skiff/function/env")));
        for (CodeFile file : code) {
            entries.add(Cpio.Entry.file("code/" + file.name(), file.executable() ? 0755 : 0644, file.data()));
        }
        entries.add(Cpio.Entry.file("skiff/function/handler", 0644, (spec.handler() + "\n").getBytes(StandardCharsets.UTF_8)));
        entries.add(Cpio.Entry.file("skiff/function/concurrency", 0644, (spec.concurrency() + "\n").getBytes(StandardCharsets.US_ASCII)));
        entries.add(Cpio.Entry.file("skiff/function/heap-mb", 0644, (heapMib + "\n").getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> variables = new TreeMap<>(spec.env());
        variables.putAll(secrets.env());
        variables.put(FunctionSecrets.DIR_ENV, FunctionSecrets.GUEST_DIR);
        for (Map.Entry<String, String> env : variables.entrySet()) {
            if (ENV_NAME.matcher(env.getKey()).matches()) {
                entries.add(Cpio.Entry.file("skiff/function/env/" + env.getKey(), 0644,
                        env.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
        String dir = FunctionSecrets.GUEST_DIR.substring(1);
        entries.add(Cpio.Entry.directory("var", 0755));
        entries.add(Cpio.Entry.directory("var/openfaas", 0755));
        entries.add(Cpio.Entry.directory(dir, 0700));
        for (Map.Entry<String, byte[]> file : secrets.files().entrySet()) {
            entries.add(Cpio.Entry.file(dir + "/" + file.getKey(), 0400, file.getValue()));
        }
        return List.copyOf(entries);
    }
}
