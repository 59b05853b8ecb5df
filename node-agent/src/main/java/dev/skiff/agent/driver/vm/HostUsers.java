package dev.skiff.agent.driver.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;

/** Who the agent runs as and the users and groups of the host, read from /proc and /etc. */
public final class HostUsers {
    private HostUsers() {
    }

    /** Whether the agent runs as root (the owner of /proc/self is the process's effective user). */
    public static boolean agentIsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static boolean groupExists(String group) {
        return lines(Path.of("/etc/group")).stream().anyMatch(l -> l.startsWith(group + ":"));
    }

    /** The numeric primary group of a user, from /etc/passwd. */
    public static Optional<String> primaryGroup(String user) {
        return lines(Path.of("/etc/passwd")).stream().filter(l -> l.startsWith(user + ":"))
                .map(l -> l.split(":")).filter(f -> f.length > 3).map(f -> f[3]).findFirst();
    }

    /** The user a VMM runs as; {@code setting} names the property that chose it, for the error. */
    public static UserPrincipal principal(String user, String setting) {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (IOException e) {
            throw new UncheckedIOException("no user '" + user + "' to run the VMM as (" + setting + ")", e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
