package dev.canopy.ui.memory;

import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.memories.MemoryFact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory browser over the real MemForest store in a SQLite file; no FX thread. */
class MemoryViewModelTest {
    @TempDir Path home;

    @Test
    void browseEditDeleteForgetAndSwitchOff() {
        try (DesktopServices app = DesktopServices.open(home)) {
            var repo = app.conversations();
            String pets = repo.create("Pets").id();
            repo.append(pets, Role.USER, "My cat Miso loves sardines.", Optional.empty());
            repo.append(pets, Role.ASSISTANT, "Noted.", Optional.empty());
            String work = repo.create("Work").id();
            repo.append(work, Role.USER, "I work at the harbour office in Brest.", Optional.empty());
            repo.append(work, Role.ASSISTANT, "Brest is windy.", Optional.empty());
            app.memory().remember(work, "Work", List.of());

            MemoryViewModel vm = new MemoryViewModel(app.memory(), app.settings());
            assertThat(vm.timeline()).isNotEmpty();
            assertThat(vm.forest()).isNotEmpty();
            assertThat(vm.description()).contains("canopy.db");

            vm.filterProperty().set("sardines");
            MemoryFact cat = vm.timeline().getFirst();
            assertThat(cat.text()).contains("sardines");
            vm.select(cat);
            assertThat(vm.sources()).isNotEmpty();

            vm.edit(cat, "The user's cat Miso loves tuna.");
            vm.filterProperty().set("tuna");
            assertThat(vm.timeline()).extracting(MemoryFact::id).contains(cat.id());
            vm.edit(cat, "  ");
            assertThat(vm.messageProperty().get()).contains("cannot be empty");

            vm.delete(cat);
            assertThat(vm.messageProperty().get()).isEqualTo("Memory deleted.");
            assertThat(vm.timeline()).extracting(MemoryFact::id).doesNotContain(cat.id());

            vm.filterProperty().set("");
            vm.forgetConversation(work);
            assertThat(vm.messageProperty().get()).startsWith("Forgot the conversation");
            assertThat(vm.timeline()).noneMatch(f -> f.text().contains("harbour"));
            assertThat(repo.find(work)).isEmpty();

            vm.enabledProperty().set(false);
            assertThat(app.settings().settings().memoryEnabled()).isFalse();
        }
    }
}
