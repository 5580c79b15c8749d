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

import java.nio.file.Path;

/**
 * The desktop app's composition root: every application service the view-models use, built once
 * over one data folder.
 */
public final class DesktopServices implements AutoCloseable {
    private final SettingsStore settings;
    private final ModelService models;
    private final ModelDownloader downloader;
    private final ConversationRepository conversations;
    private final MemoryService memory;
    private final ModelRuntime runtime;
    private final ChatService chat;

    public DesktopServices(SettingsStore settings, ConversationRepository conversations, MemoryService memory,
                           ModelDownloader downloader) {
        this.settings = settings;
        this.models = new ModelService(settings);
        this.downloader = downloader;
        this.conversations = conversations;
        this.memory = memory;
        this.runtime = new ModelRuntime();
        this.chat = new ChatService(conversations, memory, settings, runtime);
    }

    /** The services over the data folder {@code home} (see {@link dev.canopy.natives.UserDirs#data()}). */
    public static DesktopServices open(Path home) {
        SettingsStore settings = new SettingsStore(home);
        return new DesktopServices(settings, new InMemoryConversationRepository(), new InMemoryMemoryService(),
                new ModelDownloader());
    }

    public SettingsStore settings() { return settings; }
    public ModelService models() { return models; }
    public ModelDownloader downloader() { return downloader; }
    public ConversationRepository conversations() { return conversations; }
    public MemoryService memory() { return memory; }
    public ChatService chat() { return chat; }

    /** Frees the loaded model. */
    @Override
    public void close() {
        runtime.close();
    }
}
