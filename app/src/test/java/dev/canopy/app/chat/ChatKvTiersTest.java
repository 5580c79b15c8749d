package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.settings.AppSettings;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.engine.CancellationToken;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** "Keep the conversation's KV on disk": chats over the tiered KV, saved in the chosen folder and resumed after a restart. */
class ChatKvTiersTest {
    @TempDir static Path models;
    static Path model;
    @TempDir Path home;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("qwen2"), models.resolve("tiny.gguf"));
    }

    @Test
    void aConversationsKvIsSavedInTheChosenFolderAndContinuesAfterARestart() throws Exception {
        Path kvFolder = home.resolve("my-kv");
        ConversationId id;
        ChatReply first;
        try (DesktopServices app = DesktopServices.open(home)) {
            save(app.settings(), AttentionMode.DENSE, kvFolder.toString());
            assertThat(app.settings().paths().kvDir()).isEqualTo(kvFolder);
            id = app.conversations().create(ChatService.NEW_CHAT_TITLE).id();
            app.chat().addUserMessage(id, "Hello, my name is Ana and I live in Porto by the river.");
            first = answerBriefly(app.chat(), id, new Recorder());
            assertThat(first.notice()).isEmpty();
            assertThat(first.message()).isPresent();
        }
        assertThat(kvFiles(kvFolder)).as("closing the app saved the conversation's KV pages and manifest")
                .anySatisfy(f -> assertThat(f).startsWith(id.format()).endsWith(".kvpages"))
                .anySatisfy(f -> assertThat(f).startsWith(id.format()).endsWith(".kvmanifest"));

        try (DesktopServices app = DesktopServices.open(home)) {
            assertThat(app.conversations().messages(id)).hasSize(2);
            app.chat().addUserMessage(id, "Where do I live?");
            Recorder rec = new Recorder();
            ChatReply second = answerBriefly(app.chat(), id, rec);
            assertThat(second.notice()).isEmpty();
            assertThat(second.stats().promptTokens()).isGreaterThan(first.stats().promptTokens());
            assertThat(rec.prefillTotal).as("only the tokens after the saved KV are read again after the restart")
                    .isPositive().isLessThan(second.stats().promptTokens() - first.stats().promptTokens() + 8);
            assertThat(app.conversations().messages(id)).extracting(StoredMessage::role)
                    .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);

            app.chat().deleteConversation(id);
            assertThat(app.conversations().find(id)).isEmpty();
            assertThat(kvFiles(kvFolder)).as("a deleted conversation's KV is deleted with it").isEmpty();
        }
        assertThat(kvFiles(kvFolder)).as("and not written again when the app closes").isEmpty();
    }

    @Test
    void movingToAnotherConversationSavesTheFirstOnesKv() throws Exception {
        Path kvFolder = home.resolve("kv");
        ConversationId a, b;
        try (DesktopServices app = DesktopServices.open(home)) {
            save(app.settings(), AttentionMode.DENSE, "");
            assertThat(app.settings().paths().kvDir()).as("the default KV folder").isEqualTo(kvFolder);
            a = app.conversations().create("a").id();
            b = app.conversations().create("b").id();
            app.chat().addUserMessage(a, "Tell me about the sea.");
            answerBriefly(app.chat(), a, new Recorder());
            app.chat().addUserMessage(b, "Tell me about the mountains.");
            answerBriefly(app.chat(), b, new Recorder());
            assertThat(kvFiles(kvFolder)).as("answering b closed a's session, which saved its KV")
                    .contains(a + ".kvpages", a + ".kvmanifest");
        }
        assertThat(kvFiles(kvFolder)).as("closing the app saved b's").contains(b + ".kvpages", b + ".kvmanifest");
    }

    @Test
    void dhsaWithKvTiersKeepsTheKvOnDiskToo() throws Exception {
        Path kvFolder = home.resolve("kv-dhsa");
        ConversationId id;
        try (DesktopServices app = DesktopServices.open(home)) {
            save(app.settings(), AttentionMode.DHSA, kvFolder.toString());
            id = app.conversations().create("t").id();
            app.chat().addUserMessage(id, "Hello there");
            Recorder rec = new Recorder();
            ChatReply r = answerBriefly(app.chat(), id, rec);
            assertThat(r.message()).isPresent();
            assertThat(r.notice()).isEmpty();
            assertThat(rec.notices).isEmpty();
        }
        assertThat(kvFiles(kvFolder)).contains(id + ".kvpages", id + ".kvmanifest");
    }

    @Test
    void aKvFolderThatCannotBeMadeKeepsTheKvInMemoryAndSaysSo() throws Exception {
        Path notAFolder = Files.writeString(home.resolve("kv-file"), "not a folder");
        try (DesktopServices app = DesktopServices.open(home)) {
            save(app.settings(), AttentionMode.DENSE, notAFolder.toString());
            var id = app.conversations().create("t").id();
            app.chat().addUserMessage(id, "Hello there");
            Recorder rec = new Recorder();
            ChatReply r = answerBriefly(app.chat(), id, rec);
            assertThat(r.message()).as("the answer is still written").isPresent();
            assertThat(r.notice()).hasValueSatisfying(n -> assertThat(n).contains("could not be kept on disk").doesNotContain("Exception"));
            assertThat(rec.notices).containsExactly(r.notice().get());
        }
        assertThat(Files.readString(notAFolder)).isEqualTo("not a folder");
    }

    @Test
    void withoutKvTiersNothingIsWrittenToTheDefaultKvFolder() throws Exception {
        try (DesktopServices app = DesktopServices.open(home)) {
            app.settings().save(app.settings().settings().withActiveModel(model.toString()).withMemoryEnabled(false));
            assertThat(app.settings().paths().kvDir()).isEqualTo(home.resolve("kv"));
            var id = app.conversations().create("t").id();
            app.chat().addUserMessage(id, "Hello there");
            assertThat(answerBriefly(app.chat(), id, new Recorder()).notice()).isEmpty();
        }
        assertThat(kvFiles(home.resolve("kv"))).isEmpty();
    }

    private static void save(SettingsStore store, AttentionMode attention, String kvFolder) {
        AppSettings d = store.settings();
        store.save(new AppSettings(d.theme(), d.device(), d.gpuLayers(), d.threads(), d.chunkTokens(), d.contextTokens(),
                attention, d.attentionBudgetTokens(), 0, 256, 1024, kvFolder, true, d.dataFolder(), d.modelsFolder(),
                false, model.toString()));
    }

    /** A random-weight model rambles; stopping after a few tokens is what a user would do. */
    private static ChatReply answerBriefly(ChatService chat, ConversationId id, Recorder rec) {
        CancellationToken stop = new CancellationToken();
        rec.stop = stop;
        return chat.reply(id, rec, stop);
    }

    private static List<String> kvFiles(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static final class Recorder implements ChatListener {
        CancellationToken stop;
        int prefillTotal;
        int tokens;
        final List<String> notices = new ArrayList<>();

        @Override public void onPrefill(int done, int total) { prefillTotal = total; }
        @Override public void onNotice(String text) { notices.add(text); }
        @Override public void onText(String delta) { if (++tokens == 6) stop.cancel(); }
    }
}
