package dev.canopy.ui.settings;

import dev.canopy.app.settings.AppSettings;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.app.settings.ComputeDevice;
import dev.canopy.app.settings.ComputeDevices;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.app.settings.Theme;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.SpeculationMode;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The settings form: edits a copy of {@link AppSettings} as text and choices, checks it, and saves it.
 * Numbers are entered as text so a half-typed value never reaches the engine; {@link #save} names
 * the first field that is wrong.
 */
public final class SettingsViewModel {
    private final SettingsStore store;   // app service
    private final Consumer<Theme> applyTheme;
    public final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    public final ObjectProperty<ComputeDevice> device = new SimpleObjectProperty<>();
    public final StringProperty gpuLayers = new SimpleStringProperty();
    public final StringProperty threads = new SimpleStringProperty();
    public final StringProperty chunkTokens = new SimpleStringProperty();
    public final StringProperty contextTokens = new SimpleStringProperty();
    /** The attention modes Settings offers (decision 0060: DHSA is the sparse mode for chats). */
    public static final List<AttentionMode> ATTENTION_CHOICES = List.of(AttentionMode.DENSE, AttentionMode.DHSA);
    public final ObjectProperty<AttentionMode> attention = new SimpleObjectProperty<>();
    public final StringProperty attentionBudget = new SimpleStringProperty();
    /** "KV precision": 16-bit (exact), 8-bit or 4-bit KV cache. */
    public final ObjectProperty<KvPrecision> kvPrecision = new SimpleObjectProperty<>();
    /** "Keep the conversation's KV on disk": the tiered KV store, with these budgets and folder. */
    public final BooleanProperty kvTiers = new SimpleBooleanProperty();
    public final StringProperty kvGpuMb = new SimpleStringProperty();
    public final StringProperty kvRamMb = new SimpleStringProperty();
    public final StringProperty kvDiskMb = new SimpleStringProperty();
    public final StringProperty kvFolder = new SimpleStringProperty();
    public final StringProperty dataFolder = new SimpleStringProperty();
    public final BooleanProperty memoryEnabled = new SimpleBooleanProperty();
    /** "Faster answers (speculative)": off, prompt lookup or a draft model (decision 0160). */
    public final ObjectProperty<SpeculationMode> speculation = new SimpleObjectProperty<>();
    /** The draft model's file, with {@link SpeculationMode#DRAFT}. */
    public final StringProperty draftModel = new SimpleStringProperty("");
    /** "Other computers": the workers, edited here and saved by {@link #save}. */
    public final OtherComputersViewModel otherComputers;
    public final StringProperty message = new SimpleStringProperty("");
    /** What this machine offers for "Device", e.g. "GPU NVIDIA GeForce RTX 4070 (Vulkan0), 11,264 MiB free". */
    public final StringProperty detectedDevice = new SimpleStringProperty("");

    public SettingsViewModel(SettingsStore store, Consumer<Theme> applyTheme) {
        this(store, applyTheme, ComputeDevices.ofThisMachine());
    }

    public SettingsViewModel(SettingsStore store, Consumer<Theme> applyTheme, ComputeDevices devices) {
        this(store, applyTheme, devices, UiThreads.of(javafx.application.Platform::runLater));
    }

    /** With {@code checks} running the other computers' checks (a thread of their own: a chat answer may hold the app's). */
    public SettingsViewModel(SettingsStore store, Consumer<Theme> applyTheme, ComputeDevices devices, UiThreads checks) {
        this.store = store;
        this.otherComputers = new OtherComputersViewModel(checks);
        this.applyTheme = applyTheme;
        detectedDevice.set("This machine: " + devices.detected());
        reset();
    }

    /** Shows the saved settings again, dropping edits. */
    public void reset() {
        AppSettings s = store.settings();
        theme.set(s.theme());
        device.set(s.device());
        gpuLayers.set(Integer.toString(s.gpuLayers()));
        threads.set(Integer.toString(s.threads()));
        chunkTokens.set(Integer.toString(s.chunkTokens()));
        contextTokens.set(Integer.toString(s.contextTokens()));
        attention.set(s.attention());
        attentionBudget.set(Integer.toString(s.attentionBudgetTokens()));
        kvPrecision.set(s.kvPrecision());
        kvTiers.set(s.kvTiers());
        kvGpuMb.set(Long.toString(s.kvGpuMb()));
        kvRamMb.set(Long.toString(s.kvCpuMb()));
        kvDiskMb.set(Long.toString(s.kvDiskMb()));
        kvFolder.set(s.kvDiskFolder());
        dataFolder.set(s.dataFolder());
        memoryEnabled.set(s.memoryEnabled());
        speculation.set(s.speculation());
        draftModel.set(s.draftModel());
        otherComputers.show(s.workers());
        message.set("");
    }

    /** Checks and saves; returns false (with the reason in {@link #message}) when a field is wrong. */
    public boolean save() {
        try {
            AppSettings old = store.settings();
            int gpu = number("Layers on the GPU", gpuLayers.get(), -1, 1000);
            int th = number("Threads", threads.get(), 0, 512);
            int chunk = number("Prefill chunk size", chunkTokens.get(), 0, 65_536);
            if (chunk != 0 && chunk < 16) throw new IllegalArgumentException("Prefill chunk size must be 0 (automatic) or at least 16.");
            int ctx = number("Context window", contextTokens.get(), 0, 1 << 20);
            if (ctx != 0 && ctx < 512) throw new IllegalArgumentException("Context window must be 0 (automatic) or at least 512 tokens.");
            int budget = number("Attention budget", attentionBudget.get(), 512, 1 << 20);
            int effectiveChunk = chunk == 0 ? 256 : chunk;
            if (attention.get() == AttentionMode.DHSA && budget < effectiveChunk + 257) {
                throw new IllegalArgumentException("Attention budget must be at least " + (effectiveChunk + 257)
                        + " tokens: it holds the first 128, the last 128 and a whole prefill chunk.");
            }
            boolean tiers = kvTiers.get();   // the KV fields are disabled (and kept as saved) while this is off
            List<String> workers = List.copyOf(otherComputers.workers);
            if (!workers.isEmpty() && tiers) {
                throw new IllegalArgumentException("Other computers keep the KV of their layers themselves, and KV tiers keep it on this"
                        + " computer: turn KV tiers off, or remove the other computers.");
            }
            long kvGpu = tiers ? number("KV on the GPU", kvGpuMb.get(), 0, 1 << 20) : old.kvGpuMb();
            long kvRam = tiers ? number("KV in RAM", kvRamMb.get(), 64, 1 << 20) : old.kvCpuMb();
            long kvDisk = tiers ? number("KV on disk", kvDiskMb.get(), 64, 1 << 24) : old.kvDiskMb();
            String folder = tiers ? KvFolders.check(kvFolder.get()) : old.kvDiskFolder();
            String draft = checkedDraft();
            if (!workers.isEmpty() && (device.get() == ComputeDevice.CPU || gpu == 0)) {
                throw new IllegalArgumentException("Other computers take the layers this computer sends off its processor:"
                        + " set Device to the graphics card and Layers on the GPU to -1 (all) or a number of layers.");
            }
            AppSettings s = new AppSettings(theme.get(), device.get(), gpu, th, chunk, ctx, attention.get(),
                    budget, kvGpu, kvRam, kvDisk, folder, tiers,
                    dataFolder.get() == null ? "" : dataFolder.get().strip(), old.modelsFolder(), memoryEnabled.get(),
                    old.activeModel(), kvPrecision.get(), speculation.get(), draft, workers);
            store.save(s);
            applyTheme.accept(s.theme());
            message.set(s.needsReloadComparedTo(old) ? "Saved. The model reloads with these settings at the next answer."
                    : !s.dataFolder().equals(old.dataFolder()) ? "Saved. The new data folder is used after a restart."
                    : kvChanged(s, old) ? "Saved. Chats use the new KV settings from the next answer."
                    : s.speculation() != old.speculation() || !s.draftModel().equals(old.draftModel())
                    ? "Saved. " + speculationHint(s.speculation()) : "Saved.");
            return true;
        } catch (IllegalArgumentException e) {
            message.set(e.getMessage());
            return false;
        }
    }

    /** What the chosen "Faster answers" does, for the saved message. */
    static String speculationHint(SpeculationMode m) {
        return switch (m) {
            case OFF -> "Answers are decoded one token at a time.";
            case LOOKUP, DRAFT -> "From the next answer, answers in the Precise style are checked several tokens at a time: the same answer, faster where the guesses are right.";
        };
    }

    /** The draft model's file when a draft model is chosen ("" otherwise); an error when it is missing. */
    private String checkedDraft() {
        String file = draftModel.get() == null ? "" : draftModel.get().strip();
        if (speculation.get() != SpeculationMode.DRAFT) return "";
        if (file.isEmpty()) throw new IllegalArgumentException("Faster answers with a draft model needs its file: choose a small .gguf model"
                + " with the same vocabulary, or pick prompt lookup.");
        if (!Files.isRegularFile(Path.of(file))) throw new IllegalArgumentException("The draft model " + file + " is not a file.");
        return file;
    }

    private static boolean kvChanged(AppSettings a, AppSettings b) {
        return a.kvTiers() != b.kvTiers() || a.kvGpuMb() != b.kvGpuMb() || a.kvCpuMb() != b.kvCpuMb()
                || a.kvDiskMb() != b.kvDiskMb() || !a.kvDiskFolder().equals(b.kvDiskFolder());
    }

    private static int number(String field, String text, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a whole number, not \"" + text + "\".");
        }
        if (v < min || v > max) throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ".");
        return v;
    }
}
