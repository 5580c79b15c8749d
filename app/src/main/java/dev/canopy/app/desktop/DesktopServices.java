package dev.canopy.app.desktop;

import dev.canopy.app.chat.ChatService;
import dev.canopy.app.chat.ConversationRepository;
import dev.canopy.app.chat.InMemoryConversationRepository;
import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.app.download.ModelDownloader;
import dev.canopy.app.memories.InMemoryMemoryService;
import dev.canopy.app.memories.MemoryService;
import dev.canopy.app.models.ModelService;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.app.summarize.SummaryStore;

import dev.canopy.app.memories.BackgroundExtraction;
import dev.canopy.app.memories.ForestMemoryService;
import dev.canopy.app.memories.StoredConversations;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.db.MemoryStoreException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The desktop app's composition root: every application service the view-models use, built once
 * over one data folder.
 */
public final class DesktopServices implements AutoCloseable {
    /** Cells the model extracts together (parallel sequences of one batch) and answer tokens per cell. */
    private static final int EXTRACTION_BATCH = 4;
    private static final int EXTRACTION_MAX_TOKENS = 768;

    private final SettingsStore settings;
    private final ModelService models;
    private final ModelDownloader downloader;
    private final ConversationRepository conversations;
    private final MemoryService memory;
    private final ModelRuntime runtime;
    private final ChatService chat;
    private final dev.canopy.app.api.LocalApiService localApi; // owned: the "Local API server" of Settings
    private final Optional<MemoryStore> store; // owned: the user's database, when it opened
    private final Optional<SummaryStore> summaries; // over the store's database
    private final Optional<BackgroundExtraction> extraction; // owned, over the store and the runtime
    private final Optional<String> storageProblem;

    public DesktopServices(SettingsStore settings, ConversationRepository conversations, MemoryService memory,
                           ModelDownloader downloader) {
        this(settings, conversations, memory, downloader, new ModelRuntime(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private DesktopServices(SettingsStore settings, ConversationRepository conversations, MemoryService memory,
                            ModelDownloader downloader, ModelRuntime runtime, Optional<MemoryStore> store,
                            Optional<BackgroundExtraction> extraction, Optional<String> storageProblem) {
        this.store = store;
        this.summaries = store.map(s -> SummaryStore.over(s.database()));
        this.extraction = extraction;
        this.storageProblem = storageProblem;
        this.settings = settings;
        this.models = new ModelService(settings);
        this.downloader = downloader;
        this.conversations = conversations;
        this.memory = memory;
        this.runtime = runtime;
        this.chat = new ChatService(conversations, memory, settings, runtime);
        this.localApi = new dev.canopy.app.api.LocalApiService(settings.paths().home().resolve("api-server.json"),
                new dev.canopy.app.api.RuntimeModelAccess(runtime, chat::preload,
                        () -> dev.canopy.app.chat.KvTiers.of(settings.settings(), settings.paths().kvDir())),
                () -> {
                    String active = settings.settings().activeModel();
                    String name = active.isBlank() ? "none" : Path.of(active).getFileName().toString();
                    return name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
                });
    }

    /** The services over the data folder {@code home} (see {@link dev.canopy.natives.UserDirs#data()}). */
    public static DesktopServices open(Path home) {
        SettingsStore settings = new SettingsStore(home);
        Path db = settings.paths().database();
        try {
            Files.createDirectories(db.getParent());
            MemoryStore store = MemoryStore.open(db, MemoryConfig.noModel());
            ModelRuntime runtime = new ModelRuntime();
            var extraction = Optional.of(new BackgroundExtraction(store, runtime, EXTRACTION_BATCH, EXTRACTION_MAX_TOKENS));
            return new DesktopServices(settings, new StoredConversations(store), new ForestMemoryService(store, extraction),
                    new ModelDownloader(), runtime, Optional.of(store), extraction, Optional.empty());
        } catch (MemoryStoreException | IOException e) {
            // The file is left exactly as it is (never overwritten); this session keeps its chats in memory.
            String problem = "Canopy could not open your database " + db + " (" + e.getMessage() + "). It was left"
                    + " untouched; conversations of this session are not saved. Move the file away or restore a"
                    + " backup, then restart Canopy.";
            return new DesktopServices(settings, new InMemoryConversationRepository(), new InMemoryMemoryService(),
                    new ModelDownloader(), new ModelRuntime(), Optional.empty(), Optional.empty(), Optional.of(problem));
        }
    }

    /** Why conversations and memory are not being saved, when the database could not be opened. */
    public Optional<String> storageProblem() { return storageProblem; }

    public SettingsStore settings() { return settings; }
    public ModelService models() { return models; }
    public ModelDownloader downloader() { return downloader; }
    public ConversationRepository conversations() { return conversations; }
    public MemoryService memory() { return memory; }
    public ChatService chat() { return chat; }
    public dev.canopy.app.api.LocalApiService localApi() { return localApi; }

    /** Document summaries, in the same database as conversations and memory. */
    public SummaryStore summaries() {
        return summaries.orElseThrow(() -> new IllegalStateException(storageProblem.orElse("The database is not open.")));
    }

    /** Stops memory extraction (what is pending waits for the next start), frees the loaded model. */
    @Override
    public void close() {
        extraction.ifPresent(BackgroundExtraction::close);
        localApi.close();
        runtime.close();
        store.ifPresent(MemoryStore::close);
    }
}
