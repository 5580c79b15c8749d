package dev.canopy.ui.settings;

import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.app.settings.ComputeDevice;
import dev.canopy.app.settings.Theme;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.SpeculationMode;
import atlantafx.base.theme.Styles;
import dev.canopy.ui.common.Labels;
import dev.canopy.ui.common.Ui;
import javafx.geometry.Insets;
import atlantafx.base.controls.ToggleSwitch;
import org.kordamp.ikonli.feather.Feather;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Settings; binds to {@link SettingsViewModel}. */
public final class SettingsView extends VBox {
    private final VBox sections = new VBox(20);

    public SettingsView(SettingsViewModel vm) {
        super(Ui.M);
        setPadding(new Insets(Ui.L));
        Label title = new Label("Settings");
        title.getStyleClass().add(Styles.TITLE_3);
        GridPane g = new GridPane();
        g.setHgap(Ui.M);
        g.setVgap(Ui.S);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);   // the hints give way, not the field names
        ColumnConstraints fields = new ColumnConstraints();
        fields.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints hints = new ColumnConstraints();
        hints.setHgrow(Priority.ALWAYS);   // hints wrap in what is left
        hints.setMinWidth(120);
        g.getColumnConstraints().addAll(labels, fields, hints);
        int r = 0;
        ChoiceBox<Theme> theme = new ChoiceBox<>();
        theme.setId("theme");
        theme.getItems().setAll(Theme.values());
        theme.setConverter(Labels.converter(Labels::of));
        theme.valueProperty().bindBidirectional(vm.theme);
        g.addRow(r++, new Label("Theme"), theme);
        ChoiceBox<ComputeDevice> device = new ChoiceBox<>();
        device.setId("device");
        device.getItems().setAll(ComputeDevice.values());
        device.setConverter(Labels.converter(Labels::of));
        device.valueProperty().bindBidirectional(vm.device);
        Label detected = hint("");
        detected.setId("detected-device");
        detected.textProperty().bind(vm.detectedDevice);
        g.addRow(r++, new Label("Device"), device, detected);
        g.addRow(r++, new Label("Layers on the GPU"), field(vm.gpuLayers, "gpu-layers"), hint("-1 = as many as fit"));
        g.addRow(r++, new Label("Threads"), field(vm.threads, "threads"), hint("0 = all processors"));
        g.addRow(r++, new Label("Prefill chunk size"), field(vm.chunkTokens, "chunk"), hint("tokens per prefill step; 0 = 256 on CPU, 512 on GPU"));
        g.addRow(r++, new Label("Context window"), field(vm.contextTokens, "context"), hint("tokens; 0 = the model's, at most 8,192"));
        ChoiceBox<AttentionMode> attention = new ChoiceBox<>();
        attention.setId("attention");
        attention.getItems().setAll(SettingsViewModel.ATTENTION_CHOICES);
        attention.setConverter(Labels.converter(SettingsView::label));
        attention.valueProperty().bindBidirectional(vm.attention);
        g.addRow(r++, new Label("Long-context acceleration"), attention,
                hint("DHSA skips most attention work on long prompts: up to 3x faster reading at 16K tokens on small models, less on large ones; answers may differ from dense"));
        g.addRow(r++, new Label("Attention budget"), field(vm.attentionBudget, "attention-budget"),
                hint("DHSA: tokens each step reads (1,024 for finding facts, 2,048 for summaries)"));
        ChoiceBox<KvPrecision> kvPrecision = new ChoiceBox<>();
        kvPrecision.setId("kv-precision");
        kvPrecision.getItems().setAll(KvPrecision.values());
        kvPrecision.setConverter(Labels.converter(KvPrecision::label));
        kvPrecision.valueProperty().bindBidirectional(vm.kvPrecision);
        g.addRow(r++, new Label("KV precision"), kvPrecision,
                hint("8-bit and 4-bit keep the attention memory smaller for long chats; answers may differ slightly from 16-bit"));
        ToggleSwitch kvTiers = new ToggleSwitch();
        kvTiers.setId("kv-tiers");
        kvTiers.setAccessibleText("Keep each conversation's KV on disk");
        kvTiers.selectedProperty().bindBidirectional(vm.kvTiers);
        g.add(new Label("Keep the KV on disk"), 0, r);
        g.add(kvTiers, 1, r);
        g.add(hint("a chat continues after a restart without re-reading it; works with DHSA and GPU layers too"), 2, r++);
        g.addRow(r++, new Label("KV in RAM (MiB)"), kvField(vm.kvRamMb, "kv-ram-mb", vm), hint("a longer KV is read in part: the most relevant pages per step (answers may differ slightly)"));
        g.addRow(r++, new Label("KV on the GPU (MiB)"), kvField(vm.kvGpuMb, "kv-gpu-mb", vm), hint("only used with a GPU"));
        g.addRow(r++, new Label("KV on disk (MiB)"), kvField(vm.kvDiskMb, "kv-disk-mb", vm), hint("largest a conversation's KV file may grow"));
        g.addRow(r++, new Label("KV folder"), kvField(vm.kvFolder, "kv-folder", vm), hint("empty = \"kv\" in the data folder"));
        g.addRow(r++, new Label("Data folder"), field(vm.dataFolder, "data-folder"), hint("empty = the default; used after a restart"));
        ToggleSwitch memory = new ToggleSwitch();
        memory.setId("memory-enabled-setting");
        memory.setAccessibleText("Long-term memory in chats");
        memory.selectedProperty().bindBidirectional(vm.memoryEnabled);
        g.addRow(r++, new Label("Long-term memory"), memory, hint("remember things from chats and use them in answers"));
        ChoiceBox<SpeculationMode> speculation = new ChoiceBox<>();
        speculation.setId("speculation");
        speculation.getItems().setAll(SpeculationMode.values());
        speculation.setConverter(Labels.converter(SettingsView::label));
        speculation.valueProperty().bindBidirectional(vm.speculation);
        g.addRow(r++, new Label("Faster answers (speculative)"), speculation,
                hint("guesses several tokens and lets the model check them in one step: the same answers, faster where the guesses"
                        + " are right; Precise style answers on Canopy's engine"));
        TextField draft = field(vm.draftModel, "draft-model");
        draft.setPromptText("a small .gguf with the same vocabulary");
        Button chooseDraft = Ui.button("Choose…", Feather.FOLDER, "Choose the draft model's file");
        chooseDraft.setId("choose-draft-model");
        chooseDraft.setOnAction(e -> chooseDraft(vm));
        HBox draftRow = new HBox(Ui.S, draft, chooseDraft);
        draftRow.disableProperty().bind(vm.speculation.isNotEqualTo(SpeculationMode.DRAFT));
        g.addRow(r, new Label("Draft model"), draftRow, hint("for \"Draft model\": proposes the tokens; placed like the model (GPU layers, other computers)"));
        Button save = Ui.accent(Ui.button("Save", Feather.CHECK, "Save the settings"));
        save.setId("save-settings");
        save.setDefaultButton(true);
        save.setOnAction(e -> vm.save());
        Button reset = Ui.button("Discard changes", Feather.ROTATE_CCW, "Back to the saved settings");
        reset.setOnAction(e -> vm.reset());
        Label msg = new Label();
        msg.setId("settings-message");
        msg.setWrapText(true);
        msg.textProperty().bind(vm.message);
        sections.getChildren().addAll(g, new OtherComputersPane(vm.otherComputers));
        ScrollPane form = new ScrollPane(sections);   // Save stays in sight however small the window
        form.setId("settings-form");
        form.setFitToWidth(true);
        VBox.setVgrow(form, Priority.ALWAYS);
        getChildren().addAll(title, form, new HBox(Ui.S, save, reset), msg);
    }

    /** Adds a section of its own (with its own apply button) below the settings form. */
    public void addSection(javafx.scene.Node section) {
        sections.getChildren().add(section);
    }

    private static TextField field(javafx.beans.property.StringProperty p, String id) {
        TextField f = new TextField();
        f.setId(id);
        f.setPrefColumnCount(10);
        f.textProperty().bindBidirectional(p);
        return f;
    }

    private static TextField kvField(javafx.beans.property.StringProperty p, String id, SettingsViewModel vm) {
        TextField f = field(p, id);
        f.disableProperty().bind(vm.kvTiers.not());
        return f;
    }

    private static Label hint(String s) {
        Label l = Ui.muted(s);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    private void chooseDraft(SettingsViewModel vm) {
        javafx.stage.FileChooser fc = new javafx.stage.FileChooser();
        fc.setTitle("Draft model");
        fc.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("GGUF model", "*.gguf"));
        java.io.File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) vm.draftModel.set(f.getAbsolutePath());
    }

    /** The Settings choice's words for a way of speculative decoding. */
    static String label(SpeculationMode m) {
        return switch (m) {
            case OFF -> "Off: one token at a time";
            case LOOKUP -> "Prompt lookup: reuse words from the conversation";
            case DRAFT -> "Draft model: a small model guesses ahead";
        };
    }

    /** The Settings choice's words for an attention mode. */
    static String label(AttentionMode m) {
        return switch (m) {
            case DENSE -> "Off: dense attention (exact)";
            case DHSA -> "DHSA: sparse attention for long prompts";
            case WINDOW -> "Window: the first and the latest tokens";
            case TOPK -> "Top-k: the best-scoring blocks of keys";
        };
    }
}
