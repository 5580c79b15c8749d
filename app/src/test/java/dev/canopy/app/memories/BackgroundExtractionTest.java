package dev.canopy.app.memories;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.app.chat.ChatListener;
import dev.canopy.app.chat.ChatReply;
import dev.canopy.app.chat.ChatService;
import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.settings.AppSettings;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.engine.CancellationToken;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory from finished cells in the background, by a real (tiny, random-weight) model when one is
 * loaded: its answers are nonsense, so some may not parse and keep their turns, but every cell is
 * sent to the model and ends up in memory, and a chat answer never waits for the extraction.
 */
class BackgroundExtractionTest {
    @TempDir static Path models;
    static Path model;
    @TempDir Path home;

    MemoryStore store;
    ModelRuntime runtime;
    BackgroundExtraction extraction;
    StoredConversations conversations;
    ForestMemoryService memory;
    ChatService chat;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), models.resolve("tiny.gguf"));
    }

    void open(int batch, int maxTokens) {
        SettingsStore settings = new SettingsStore(home);
        AppSettings d = AppSettings.defaults();
        // one thread: a spinning pool of two slows down many-fold while the build's other JVMs are busy
        settings.save(new AppSettings(d.theme(), d.device(), d.gpuLayers(), 1, 64, 1024, d.attention(),
                d.attentionBudgetTokens(), d.kvGpuMb(), d.kvCpuMb(), d.kvDiskMb(), "", false, "", "", true, model.toString()));
        store = MemoryStore.open(home.resolve("canopy.db"), MemoryConfig.noModel());
        runtime = new ModelRuntime();
        extraction = new BackgroundExtraction(store, runtime, batch, maxTokens);
        conversations = new StoredConversations(store);
        memory = new ForestMemoryService(store, Optional.of(extraction));
        chat = new ChatService(conversations, memory, settings, runtime);
    }

    @AfterEach
    void close() {
        if (extraction != null) extraction.close();
        if (runtime != null) runtime.close();
        if (store != null) store.close();
    }

    @Test
    void finishedCellsAreExtractedByTheLoadedModel() throws Exception {
        open(2, 24);
        chat.preload();
        var id = exchanges(2);
        memory.remember(id, "Trip", List.of());

        assertThat(extraction.awaitIdle(120)).isTrue();
        BackgroundExtraction.Stats stats = extraction.stats();
        assertThat(stats.cellsByModel()).as("both cells went to the model").isEqualTo(2);
        assertThat(stats.cellsAsTurns()).isZero();
        assertThat(stats.modelFailures()).isZero();
        assertThat(count("SELECT count(*) FROM cells WHERE status = 'EXTRACTED'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM nodes WHERE cell_id IS NOT NULL")).as("in their session tree").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM facts WHERE origin = 'TURN'"))
                .as("only the cells whose answer did not parse keep their two turns")
                .isEqualTo(2L * stats.cellsUnparsable());
        assertThat(store.integrityProblems()).isEmpty();
    }

    @Test
    void withoutAModelTheTurnsBecomeTheLeavesAsBefore() throws Exception {
        open(2, 24);
        var id = exchanges(2);
        memory.remember(id, "Trip", List.of());

        assertThat(extraction.awaitIdle(60)).isTrue();
        assertThat(extraction.stats()).isEqualTo(new BackgroundExtraction.Stats(0, 0, 2, 0, 0));
        assertThat(count("SELECT count(*) FROM facts WHERE origin = 'TURN'")).isEqualTo(4);
        assertThat(memory.recall("Lisbon tram", 5)).extracting(MemoryFact::text).anyMatch(t -> t.contains("Lisbon"));
    }

    @Test
    void anAnswerDoesNotWaitForTheExtraction() throws Exception {
        open(2, 8); // two cells per batch: the extraction takes a few batches
        chat.preload();
        var id = exchanges(4);
        memory.remember(id, "Trip", List.of());
        for (int i = 0; i < 6_000 && !extraction.running(); i++) Thread.sleep(5);
        assertThat(extraction.running()).as("the extraction has the model").isTrue();

        chat.addUserMessage(id, "One more thing: what should I pack?");
        long[] pendingAtFirstToken = {-1};
        CancellationToken stop = new CancellationToken();
        ChatReply reply = chat.reply(id, new ChatListener() {
            int tokens;

            @Override public void onText(String delta) {
                if (tokens++ == 0) pendingAtFirstToken[0] = count("SELECT count(*) FROM cells WHERE status = 'PENDING'");
                if (tokens >= 4) stop.cancel();
            }
        }, stop);

        assertThat(reply.message()).isPresent();
        assertThat(pendingAtFirstToken[0]).as("the answer streamed while cells were still waiting").isPositive();
        assertThat(extraction.stats().gaveWay()).as("the extraction stopped for the answer").isPositive();
        assertThat(extraction.awaitIdle(120)).isTrue();
        assertThat(count("SELECT count(*) FROM cells WHERE status = 'PENDING'")).as("and finished after it").isZero();
        // the four cells and the interrupted exchange, which the run after the answer cut into a fifth
        assertThat(count("SELECT count(*) FROM cells WHERE status = 'EXTRACTED'")).isEqualTo(5);
        assertThat(extraction.stats().cellsByModel()).isEqualTo(5);
        assertThat(extraction.stats().modelFailures()).isZero();
        assertThat(extraction.stats().cellsAsTurns()).isZero();
    }

    /** A conversation of {@code n} finished exchanges (cells), written as the chat writes them. */
    private ConversationId exchanges(int n) {
        var id = conversations.create("Trip").id();
        for (int i = 0; i < n; i++) {
            conversations.append(id, Role.USER, "Day " + i + ": I rode the old tram " + i + " in Lisbon with Ana.",
                    Optional.empty());
            conversations.append(id, Role.ASSISTANT, "Lisbon tram " + i + " sounds lovely; did Ana like it?",
                    Optional.empty());
        }
        return id;
    }

    private long count(String sql) {
        return store.database().<Long>read("count", s -> s.longValue(sql));
    }
}
