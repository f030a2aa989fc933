package org.eventstream.orders.loadtest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k6 cannot be installed here, so its scenarios are type-checked against {@code @types/k6} with the TypeScript
 * compiler (k6/package.json, k6/tsconfig.json): a misspelled option, executor or API call fails the build.
 */
class K6ScriptsIT {

    private static final Path K6 = Path.of("k6");

    private static String run(Path dir, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("%s timed out", command).isTrue();
        return process.exitValue() + "\n" + output;
    }

    @BeforeAll
    static void installTheTypeChecker() throws Exception {
        assertThat(run(K6, List.of("npm", "ci", "--no-audit", "--no-fund"))).startsWith("0\n");
    }

    @Test
    void everyScenarioTypeChecksAgainstTheK6Api() throws Exception {
        assertThat(run(K6, List.of("npx", "tsc", "-p", "tsconfig.json"))).isEqualTo("0\n");
        try (var scripts = Files.list(K6)) {
            assertThat(scripts.map(Path::getFileName).map(Path::toString))
                    .contains("load-test.js", "spike.js", "soak.js", "resilience.js");
        }
    }

    @Test
    void aMisspelledExecutorFailsTheCheck() throws Exception {
        Path broken = K6.resolve("zz-broken-check.js");
        Files.writeString(broken, Files.readString(K6.resolve("spike.js"))
                .replace("'ramping-arrival-rate'", "'ramping-arival-rate'"));
        try {
            String result = run(K6, List.of("npx", "tsc", "-p", "tsconfig.json"));
            assertThat(result).doesNotStartWith("0\n").contains("ramping-arival-rate");
        } finally {
            Files.deleteIfExists(broken);
        }
    }
}
