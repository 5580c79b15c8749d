package dev.canopy.app.settings;

import dev.canopy.engine.SpeculationMode;
import dev.canopy.natives.rpc.RpcEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** "Faster answers (speculative)" and "Other computers" (decision 0160): stored, and what they give the engine. */
class OtherComputersAndSpeculationSettingsTest {
    @TempDir Path home;

    @Test
    void speculationAndWorkersSurviveARestartAndWorkersReachTheEngineOptions() {
        SettingsStore s = new SettingsStore(home);
        AppSettings d = s.settings();
        assertThat(d.speculation()).isEqualTo(SpeculationMode.OFF);
        assertThat(d.workers()).isEmpty();
        assertThat(d.engineOptions().workers()).isEmpty();
        AppSettings changed = d.withSpeculation(SpeculationMode.DRAFT, "/m/small.gguf")
                .withWorkers(List.of("10.0.0.2:50052", "[::1]:50053"));
        s.save(changed);

        AppSettings again = new SettingsStore(home).settings();
        assertThat(again).isEqualTo(changed);
        assertThat(again.draftModel()).isEqualTo("/m/small.gguf");
        assertThat(again.engineOptions().workers())
                .containsExactly(new RpcEndpoint("10.0.0.2", 50052), new RpcEndpoint("::1", 50053));
        assertThat(again.needsReloadComparedTo(d)).isTrue();                         // layers move
        assertThat(d.withSpeculation(SpeculationMode.LOOKUP, "").needsReloadComparedTo(d)).isFalse();
    }

    @Test
    void aSettingsFileFromBeforeTheseSettingsReadsAsOffAndThisComputerOnly() throws Exception {
        Files.writeString(home.resolve("settings.json"), "{\"theme\":\"DARK\"}");
        AppSettings s = new SettingsStore(home).settings();
        assertThat(s.speculation()).isEqualTo(SpeculationMode.OFF);
        assertThat(s.draftModel()).isEmpty();
        assertThat(s.workers()).isEmpty();
    }

    @Test
    void checkingAWorkerThatIsDownSaysSoInOneSentenceNamingIt() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();                                                 // closed when the check runs
        }
        WorkerCheck.Result r = WorkerCheck.check("127.0.0.1:" + port, Duration.ofSeconds(2));
        assertThat(r.outcome()).isEqualTo(WorkerCheck.Outcome.UNUSABLE);
        assertThat(r.message()).isEqualTo("Worker 127.0.0.1:" + port
                + " refused the connection: is `canopy worker` running there, on that port?");

        WorkerCheck.Result bad = WorkerCheck.check("host:port", Duration.ofSeconds(1));
        assertThat(bad.outcome()).isEqualTo(WorkerCheck.Outcome.UNUSABLE);
        assertThat(bad.message()).startsWith("'host:port' is not host:port");
    }

    @Test
    void theModelBarSaysLayersGoToOtherComputersBeforeTheModelLoads() {
        AppSettings two = AppSettings.defaults().withWorkers(List.of("a:1", "b:2"));
        assertThat(new ComputeDevices(List::of).planned(two)).isEqualTo("layers over 2 other computers and this one (Settings, Other computers)");
    }
}
