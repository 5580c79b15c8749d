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
    void aCitationInAnEarlierSummaryOpensItsPassageAndSaysWhenTheFileChangedOrWent() throws Exception {
        Path doc = Files.writeString(home.resolve("cat.md"), "# Cat\n\nMiso is twelve.\nShe sleeps a lot.\n\n## Food\n\n"
                + "Sardines are a treat.\nTuna comes in water.\n");
        try (DesktopServices app = DesktopServices.open(home.resolve("data"));
             SummaryStore store = SummaryStore.open(home.resolve("summaries.db"))) {
            var loaded = dev.canopy.app.documents.DocumentLoaders.load(doc);
            store.saveDocument(loaded);
            var key = new dev.canopy.app.summarize.RunKey(loaded.contentHash(), "m", 512, "s");
            store.beginRun(key, "m", 1);
            String md = "- Miso is twelve and sleepy. [lines 3–4]\n- Sardines are a treat. [lines 8–9]";
            store.saveResult(key.id(), loaded.contentHash(), dev.canopy.app.summarize.SummaryStyle.BRIEF, "", "m", md, md);
            DocumentsViewModel vm = new DocumentsViewModel(app.chat(), () -> store, UiThreads.of(Runnable::run));
            vm.loadHistory();
            for (int i = 0; i < 500 && vm.history().isEmpty(); i++) Thread.sleep(10);
            assertThat(vm.history()).singleElement().satisfies(p -> assertThat(p.style()).isEqualTo("Brief"));
            vm.show(vm.history().getFirst());

            var food = dev.canopy.app.summarize.Citations.find(vm.resultProperty().get()).get(1).span();
            vm.openCitation(food);
            dev.canopy.ui.common.Passage p = awaitPassage(vm);
            assertThat(p.title()).isEqualTo("Lines 8–9 of cat.md");
            assertThat(p.text()).contains("Sardines are a treat.").contains("Tuna comes in water.").doesNotContain("Miso");

            Files.writeString(doc, Files.readString(doc) + "\nA new line.\n");
            vm.passageProperty().set(null);
            vm.openCitation(food);
            assertThat(awaitPassage(vm).title()).endsWith("(the file has changed since it was summarized)");

            Files.delete(doc);
            vm.openCitation(food);
            for (int i = 0; i < 500 && !vm.statusProperty().get().startsWith("Cannot show"); i++) Thread.sleep(10);
            assertThat(vm.statusProperty().get()).startsWith("Cannot show the passage").doesNotContain("Exception");
        }
    }

    private static dev.canopy.ui.common.Passage awaitPassage(DocumentsViewModel vm) throws InterruptedException {
        for (int i = 0; i < 1000 && vm.passageProperty().get() == null; i++) Thread.sleep(10);
        assertThat(vm.passageProperty().get()).isNotNull();
        return vm.passageProperty().get();
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
