package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.BrowserScripts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the JavaScript client's unit tests ({@code node --test client-js/test/*.test.mjs}) as part of the
 * Maven build, so {@code ./run-tests} covers them; any failing Node test fails this one with Node's report.
 */
class ClientUnitTestsTest {

    @Test
    void nodeUnitTestsOfTheClientPass() throws Exception {
        Path root = BrowserScripts.repoRoot();
        Path tests = root.resolve("client-js/test");
        if (!Files.isDirectory(root.resolve("client-js/node_modules/terser"))) {
            throw new AssertionError("client-js's npm packages are missing: run ./run-tests (or npm ci in client-js)");
        }
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=tap"));
        try (Stream<Path> files = Files.list(tests)) {
            files.filter(p -> p.getFileName().toString().endsWith(".test.mjs")).sorted()
                    .forEach(p -> command.add(root.relativize(p).toString()));
        }
        assertThat(command).as("test files").hasSizeGreaterThan(3);
        Process node = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        byte[] out = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String report = new String(out, StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as("node --test failed:\n" + report).isZero();
        assertThat(report).contains("# fail 0").doesNotContain("# pass 0");
    }
}
