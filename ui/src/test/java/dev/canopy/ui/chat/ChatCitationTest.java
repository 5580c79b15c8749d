package dev.canopy.ui.chat;

import dev.canopy.app.chat.Attachments;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.summarize.Citations;
import dev.canopy.app.summarize.SourceSpan;
import dev.canopy.memory.conversation.MessageId;
import java.util.Optional;
import dev.canopy.memory.conversation.Role;
import dev.canopy.ui.common.UiThreads;
import javafx.application.Platform;
import javafx.scene.control.Hyperlink;
import javafx.scene.layout.VBox;
import javafx.scene.text.TextFlow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A chat answer's citations are links (as a summary's), and a clicked one opens the attached document's passage. */
class ChatCitationTest {
    @TempDir Path home;
    DesktopServices services;
    ChatViewModel vm;

    @BeforeEach
    void setUp() {
        services = DesktopServices.open(home);
        vm = new ChatViewModel(services.chat(), UiThreads.of(Runnable::run), id -> {});
    }

    @AfterEach
    void tearDown() {
        services.close();
    }

    @Test
    void anAnswersCitationIsALinkThatOpensThePassageOfTheAttachedDocument() throws Exception {
        FxToolkit.registerPrimaryStage();
        AtomicReference<SourceSpan> clicked = new AtomicReference<>();
        CompletableFuture<List<Hyperlink>> links = new CompletableFuture<>();
        Platform.runLater(() -> {
            VBox body = MarkdownView.render("Miso eats wet food in the morning [lines 3–4].", clicked::set);
            List<Hyperlink> found = body.lookupAll(".citation").stream().map(Hyperlink.class::cast).toList();
            found.forEach(Hyperlink::fire);
            links.complete(found);
            assertThat(body.lookupAll(".md-cited")).allMatch(n -> n instanceof TextFlow);
        });
        assertThat(links.get(10, TimeUnit.SECONDS)).singleElement().satisfies(l -> assertThat(l.getText()).isEqualTo("[lines 3–4]"));
        assertThat(clicked.get()).isEqualTo(new SourceSpan(3, 4));

        Path guide = Files.writeString(home.resolve("guide.md"), "# Miso\n\nMorning: wet food.\nEvening: dry food.\n\nSunday: sardines.\n");
        vm.attach(guide);
        long until = System.nanoTime() + 10_000_000_000L;
        while (vm.attachmentProperty().get() == null && System.nanoTime() < until) Thread.sleep(20);
        String question = Attachments.compose("When does Miso eat?", "guide.md", vm.attachmentProperty().get().text());
        MessageItem answer = new MessageItem(Optional.of(new MessageId(11)), Role.ASSISTANT, "In the morning [lines 3–4].", "");
        vm.messages().setAll(new MessageItem(Optional.of(new MessageId(21)), Role.USER, question, ""), answer);
        SourceSpan span = Citations.find(answer.text()).getFirst().span();
        vm.openCitation(answer, span);
        until = System.nanoTime() + 10_000_000_000L;
        while (vm.passageProperty().get() == null && System.nanoTime() < until) Thread.sleep(20);
        assertThat(vm.passageProperty().get().title()).isEqualTo("Lines 3–4 of guide.md");
        assertThat(vm.passageProperty().get().text()).contains("Morning: wet food.");

        MessageItem unattached = new MessageItem(Optional.of(new MessageId(12)), Role.ASSISTANT, "See [p. 2].", "");
        vm.messages().setAll(new MessageItem(Optional.of(new MessageId(22)), Role.USER, "What is on page 2?", ""), unattached);
        vm.openCitation(unattached, new SourceSpan(2, 2));
        assertThat(vm.statusProperty().get()).isEqualTo("This answer cites a place, but no document was attached before it.");
    }
}
