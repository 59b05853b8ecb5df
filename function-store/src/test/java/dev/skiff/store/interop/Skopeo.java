package dev.skiff.store.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the skopeo command line (the Debian package {@code skopeo}) without a trust policy and
 * with its home in the test's directory, so no user configuration or stored credential applies.
 */
final class Skopeo {
    private final Path home;

    /** What a run printed and how it ended. */
    record Result(int exitCode, String output) {
    }

    Skopeo(Path home) {
        this.home = home;
    }

    /** Fails the test, saying how to install it, when skopeo is missing. */
    static void requireInstalled() throws InterruptedException {
        try {
            Process version = new ProcessBuilder("skopeo", "--version").redirectErrorStream(true).start();
            if (version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // answered below
        }
        fail("skopeo is not installed: the interoperability test needs it. Install the Debian package "
                + "(apt-get install skopeo); CI's .ci/run installs it.");
    }

    Result run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(home, "skopeo-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_RUNTIME_DIR", home.toString());
        builder.environment().remove("REGISTRY_AUTH_FILE");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("skopeo " + String.join(" ", arguments) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** Runs skopeo and fails the test, with its output, unless it succeeds. */
    Result succeed(String... arguments) throws IOException, InterruptedException {
        Result result = run(arguments);
        if (result.exitCode() != 0) {
            fail("skopeo " + String.join(" ", arguments) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result;
    }
}
