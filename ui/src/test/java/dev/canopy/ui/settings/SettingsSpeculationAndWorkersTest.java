package dev.canopy.ui.settings;

import dev.canopy.app.settings.ComputeDevices;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.app.settings.WorkerCheck;
import dev.canopy.engine.SpeculationMode;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.ui.common.UiThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings' "Faster answers (speculative)" and "Other computers" (decision 0160). */
class SettingsSpeculationAndWorkersTest {
    @TempDir Path home;

    private SettingsViewModel vm(SettingsStore store) {
        return new SettingsViewModel(store, t -> {}, new ComputeDevices(List::of), UiThreads.of(Runnable::run));
    }

    @Test
    void fasterAnswersWithADraftModelSurviveARestart() throws Exception {
        SettingsStore store = new SettingsStore(home);
        SettingsViewModel vm = vm(store);
        assertThat(vm.speculation.get()).isEqualTo(SpeculationMode.OFF);
        assertThat(SettingsView.label(SpeculationMode.LOOKUP)).isEqualTo("Prompt lookup: reuse words from the conversation");

        vm.speculation.set(SpeculationMode.DRAFT);
        assertThat(vm.save()).isFalse();                                   // no file chosen yet
        assertThat(vm.message.get()).startsWith("Faster answers with a draft model needs its file");
        vm.draftModel.set(home.resolve("missing.gguf").toString());
        assertThat(vm.save()).isFalse();
        assertThat(vm.message.get()).endsWith("missing.gguf is not a file.");

        Path draft = Files.writeString(home.resolve("small.gguf"), "GGUF");
        vm.draftModel.set(draft.toString());
        assertThat(vm.save()).isTrue();
        assertThat(vm.message.get()).startsWith("Saved. From the next answer");
        assertThat(store.settings().speculation()).isEqualTo(SpeculationMode.DRAFT);
        assertThat(store.settings().needsReloadComparedTo(store.settings().withSpeculation(SpeculationMode.OFF, ""))).isFalse();

        SettingsViewModel again = vm(new SettingsStore(home));
        assertThat(again.speculation.get()).isEqualTo(SpeculationMode.DRAFT);
        assertThat(again.draftModel.get()).isEqualTo(draft.toString());

        again.speculation.set(SpeculationMode.LOOKUP);                     // lookup keeps no draft file
        assertThat(again.save()).isTrue();
        assertThat(new SettingsStore(home).settings().speculation()).isEqualTo(SpeculationMode.LOOKUP);
        assertThat(new SettingsStore(home).settings().draftModel()).isEmpty();
    }

    @Test
    void otherComputersAreAddedRemovedSavedAndReachTheEngineOptions() {
        SettingsStore store = new SettingsStore(home);
        SettingsViewModel vm = vm(store);
        OtherComputersViewModel oc = vm.otherComputers;
        oc.newWorker.set("box:port");
        assertThat(oc.add()).isFalse();
        assertThat(oc.message.get()).isEqualTo("'box:port' is not host:port (the port 'port' is not a number).");
        oc.newWorker.set("127.0.0.1:50052");
        assertThat(oc.add()).isTrue();
        oc.newWorker.set("10.0.0.7");                                      // the default port
        assertThat(oc.add()).isTrue();
        assertThat(oc.message.get()).contains("trusted network");
        oc.newWorker.set("127.0.0.1:50052");
        assertThat(oc.add()).isFalse();
        assertThat(oc.message.get()).isEqualTo("127.0.0.1:50052 is in the list already.");
        assertThat(oc.workers).containsExactly("127.0.0.1:50052", "10.0.0.7:50052");

        assertThat(vm.save()).isTrue();
        assertThat(vm.message.get()).contains("reloads");
        assertThat(store.settings().engineOptions().workers())
                .containsExactly(new RpcEndpoint("127.0.0.1", 50052), new RpcEndpoint("10.0.0.7", 50052));
        SettingsViewModel again = vm(new SettingsStore(home));
        assertThat(again.otherComputers.workers).containsExactly("127.0.0.1:50052", "10.0.0.7:50052");

        again.otherComputers.remove("10.0.0.7:50052");
        again.kvTiers.set(true);                                           // the workers keep their layers' KV (decision 0200)
        assertThat(again.save()).isFalse();
        assertThat(again.message.get()).startsWith("Other computers keep the KV of their layers themselves");
        again.kvTiers.set(false);
        again.attention.set(AttentionMode.DHSA);                           // Canopy's engine runs DHSA over other computers
        assertThat(again.save()).isTrue();
        assertThat(new SettingsStore(home).settings().workers()).containsExactly("127.0.0.1:50052");
        assertThat(new SettingsStore(home).settings().attention()).isEqualTo(AttentionMode.DHSA);
    }

    @Test
    void checkingAComputerThatIsDownSaysSoWithoutBlockingTheCaller() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();                                       // closed when the check runs
        }
        OtherComputersViewModel oc = vm(new SettingsStore(home)).otherComputers;
        oc.check();
        assertThat(oc.message.get()).isEqualTo("Add another computer first.");
        oc.newWorker.set("127.0.0.1:" + port);
        assertThat(oc.add()).isTrue();
        oc.check();
        long until = System.nanoTime() + 20_000_000_000L;
        while (oc.state.get() == OtherComputersViewModel.CheckState.CHECKING && System.nanoTime() < until) Thread.sleep(20);
        assertThat(oc.state.get()).isEqualTo(OtherComputersViewModel.CheckState.IDLE);
        assertThat(oc.results).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(WorkerCheck.Outcome.UNUSABLE);
            assertThat(r.message()).isEqualTo("Worker 127.0.0.1:" + port
                    + " refused the connection: is `canopy worker` running there, on that port?");
        });
        assertThat(oc.message.get()).startsWith("0 of 1 answered.");
    }
}
