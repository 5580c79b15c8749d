package dev.canopy.ui.memory;

import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.memories.MemoryFact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.canopy.ui.common.Notices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory browser over the real MemForest store in a SQLite file; no FX thread. */
class MemoryViewModelTest {
    @TempDir Path home;

    @Test
    void aDeletedMemoryComesBackWithUndoAndLeavesTheDatabaseWhenItsTimeIsUp() {
        try (DesktopServices app = DesktopServices.open(home)) {
            var repo = app.conversations();
            var pets = repo.create("Pets").id();
            repo.append(pets, Role.USER, "My cat Miso loves sardines.", Optional.empty());
            repo.append(pets, Role.ASSISTANT, "Noted.", Optional.empty());
            app.memory().remember(pets, "Pets", List.of());
            List<Runnable> timers = new ArrayList<>();
            List<Duration> waits = new ArrayList<>();
            MemoryViewModel vm = new MemoryViewModel(app.memory(), app.settings(), (d, r) -> { waits.add(d); timers.add(r); });
            Notices notices = new Notices();
            vm.setNotices(notices);
            MemoryFact cat = vm.timeline().stream().filter(f -> f.text().contains("sardines")).findFirst().orElseThrow();

            vm.delete(cat);
            assertThat(vm.timeline()).extracting(MemoryFact::id).doesNotContain(cat.id());
            assertThat(vm.canUndoProperty().get()).isTrue();
            assertThat(waits).containsExactly(MemoryViewModel.UNDO_FOR);
            assertThat(notices.posted()).singleElement().satisfies(n -> {
                assertThat(n.title()).isEqualTo("Memory deleted");
                assertThat(n.text()).contains("sardines");
                assertThat(n.action()).hasValueSatisfying(a -> assertThat(a.label()).isEqualTo("Undo"));
            });

            notices.posted().getFirst().action().orElseThrow().run().run();   // the notification's Undo
            assertThat(vm.messageProperty().get()).isEqualTo("Memory restored.");
            assertThat(vm.canUndoProperty().get()).isFalse();
            assertThat(vm.timeline()).extracting(MemoryFact::id).contains(cat.id());
            assertThat(vm.selectedProperty().get()).isEqualTo(cat);
            timers.getFirst().run();   // the first deletion's time is up: it was undone, nothing goes
            assertThat(app.memory().timeline()).extracting(MemoryFact::id).contains(cat.id());

            vm.delete(cat);
            timers.getLast().run();    // no Undo this time
            assertThat(vm.canUndoProperty().get()).isFalse();
            assertThat(app.memory().timeline()).extracting(MemoryFact::id).doesNotContain(cat.id());
            vm.undoDelete();           // too late: nothing comes back
            assertThat(vm.timeline()).extracting(MemoryFact::id).doesNotContain(cat.id());
        }
    }

    @Test
    void browseEditDeleteForgetAndSwitchOff() {
        try (DesktopServices app = DesktopServices.open(home)) {
            var repo = app.conversations();
            var pets = repo.create("Pets").id();
            repo.append(pets, Role.USER, "My cat Miso loves sardines.", Optional.empty());
            repo.append(pets, Role.ASSISTANT, "Noted.", Optional.empty());
            var work = repo.create("Work").id();
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
            vm.commitPendingDelete();
            assertThat(app.memory().timeline()).extracting(MemoryFact::id).doesNotContain(cat.id());

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
