package dev.canopy.ui.documents;

import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.summarize.SummaryStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.ui.common.UiThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Summarizing through the documents view-model with a real tiny model and the real store; no FX thread. */
class DocumentsViewModelTest {
    @TempDir Path home;

    static void await(DocumentsViewModel vm) throws InterruptedException {
        for (int i = 0; i < 18_000 && vm.busyProperty().get(); i++) Thread.sleep(10);
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void cancelKeepsFinishedPartsAndExplainsHowToResume() throws Exception {
        Path model = TinyModels.write(TinyModelSpec.tiny("qwen2"), home.resolve("tiny.gguf"));
        StringBuilder text = new StringBuilder("# Orchard\n\n");
        for (int i = 0; i < 400; i++) text.append("In week ").append(i).append(" the orchard gave ").append(i % 17).append(" baskets.\n\n");
        Path doc = Files.writeString(home.resolve("orchard.md"), text);
        try (DesktopServices app = DesktopServices.open(home.resolve("data"));
             SummaryStore store = SummaryStore.open(home.resolve("summaries.db"))) {
            app.settings().save(app.settings().settings().withActiveModel(model.toString()));
            DocumentsViewModel vm = new DocumentsViewModel(app.chat(), () -> store, UiThreads.of(Runnable::run));
            vm.summarize();
            assertThat(vm.statusProperty().get()).contains("Choose a document");

            vm.fileProperty().set(doc);
            vm.statusProperty().addListener((o, a, b) -> { if (b.startsWith("Part ")) vm.cancel(); });
            vm.summarize();
            await(vm);
            assertThat(vm.statusProperty().get()).startsWith("Cancelled.").contains("resume");
            assertThat(vm.resultProperty().get()).isEmpty();
            assertThat(vm.export(home.resolve("out.md"))).contains("There is no summary to export yet.");
        }
    }

    @Test
    void aFileThatIsNotADocumentIsAReadableMessage() throws Exception {
        Path exe = Files.write(home.resolve("tool.exe"), new byte[] {0x4d, 0x5a, 0, 0});
        try (DesktopServices app = DesktopServices.open(home.resolve("data"))) {
            DocumentsViewModel vm = new DocumentsViewModel(app.chat(), () -> { throw new AssertionError("not reached"); },
                    UiThreads.of(Runnable::run));
            vm.fileProperty().set(exe);
            vm.summarize();
            await(vm);
            assertThat(vm.statusProperty().get()).contains("can't read").doesNotContain("Exception");
        }
    }
}
