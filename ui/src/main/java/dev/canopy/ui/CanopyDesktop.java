package dev.canopy.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.app.settings.Theme;
import dev.canopy.app.settings.UiState;
import dev.canopy.natives.UserDirs;
import dev.canopy.ui.chat.ChatView;
import dev.canopy.ui.chat.ChatViewModel;
import dev.canopy.ui.chat.ModelBarViewModel;
import dev.canopy.ui.common.Notices;
import dev.canopy.ui.common.Ui;
import dev.canopy.ui.common.UiThreads;
import dev.canopy.ui.documents.DocumentsView;
import dev.canopy.ui.documents.DocumentsViewModel;
import dev.canopy.ui.memory.MemoryView;
import dev.canopy.ui.memory.MemoryViewModel;
import dev.canopy.ui.models.ModelsView;
import dev.canopy.ui.models.ModelsViewModel;
import dev.canopy.ui.models.WelcomeView;
import dev.canopy.ui.settings.SettingsView;
import dev.canopy.ui.settings.SettingsViewModel;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.controlsfx.control.Notifications;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The desktop application: a sidebar (Chat, Documents, Models, Memory, Settings) and the
 * section's view. Builds the app's services once (DesktopServices), the view-models over them, and
 * the views over those; restores the window size, section and last conversation. F1 shows the
 * keyboard shortcuts.
 */
public final class CanopyDesktop extends Application {
    /** A section of the sidebar: its key (saved in the UI state), label, icon and shortcut digit. */
    private record Section(String key, String label, Ikon icon) {}

    private static final List<Section> SECTIONS = List.of(
            new Section("CHAT", "Chat", Feather.MESSAGE_SQUARE),
            new Section("DOCUMENTS", "Documents", Feather.FILE_TEXT),
            new Section("MODELS", "Models", Feather.PACKAGE),
            new Section("MEMORY", "Memory", Feather.BOOKMARK),
            new Section("SETTINGS", "Settings", Feather.SETTINGS));

    private DesktopServices services; // owned
    private MemoryViewModel memoryVm; // its deletion not undone yet is kept at stop
    private final java.nio.file.Path home; // the data folder; null = the user's (UserDirs.data())
    private static Theme theme = Theme.LIGHT;

    public CanopyDesktop() {
        this(null);
    }

    /** A window over the data folder {@code home} (tests use a temporary one). */
    CanopyDesktop(java.nio.file.Path home) {
        this.home = home;
    }

    static void launchWindow() {
        Application.launch(CanopyDesktop.class);
    }

    @Override
    public void start(Stage stage) {
        services = DesktopServices.open(home != null ? home : UserDirs.data());
        SettingsStore settings = services.settings();
        applyTheme(settings.settings().theme());
        Platform.getPreferences().colorSchemeProperty().addListener((o, a, b) -> { if (theme == Theme.SYSTEM) applyTheme(theme); });
        UiThreads threads = UiThreads.of(Platform::runLater);
        Notices notices = new Notices();

        DocumentsViewModel documentsVm = new DocumentsViewModel(services.chat(), services::summaries, threads);
        documentsVm.setNotices(notices);
        DocumentsView documents = new DocumentsView(documentsVm);
        ChatViewModel chatVm = new ChatViewModel(services.chat(), threads,
                id -> settings.saveUiState(settings.uiState().withLastConversation(id)));
        chatVm.setNotices(notices);
        ModelBarViewModel modelBar = new ModelBarViewModel(services.models(), services.chat(), settings, threads);
        ModelsViewModel modelsVm = new ModelsViewModel(services.models(), services.downloader(), threads);
        ChatView chat = new ChatView(chatVm, modelBar);
        ModelsView models = new ModelsView(modelsVm);
        memoryVm = new MemoryViewModel(services.memory(), settings, (wait, task) -> {
            javafx.animation.PauseTransition t = new javafx.animation.PauseTransition(javafx.util.Duration.millis(wait.toMillis()));
            t.setOnFinished(e -> task.run());
            t.play();
        });
        memoryVm.setNotices(notices);
        MemoryView memory = new MemoryView(memoryVm);
        SettingsView settingsView = new SettingsView(new SettingsViewModel(settings, CanopyDesktop::applyTheme));
        services.localApi().startIfEnabled().ifPresent(problem -> System.getLogger("canopy").log(System.Logger.Level.WARNING, problem));
        settingsView.addSection(new dev.canopy.ui.settings.ApiServerPane(new dev.canopy.ui.settings.ApiServerViewModel(services.localApi(), threads)));
        StackPane chatSection = new StackPane(chat);
        Map<String, Node> views = Map.of("CHAT", chatSection, "DOCUMENTS", documents, "MODELS", models, "MEMORY", memory,
                "SETTINGS", settingsView);
        // What the window shows follows the app's state at once: a model added in Models is the chat's.
        settings.onChange(s -> threads.onUi(() -> { chatVm.modelChanged(); modelBar.refresh(); modelsVm.refresh(); }));
        chatVm.loadingModelProperty().addListener((o, a, b) -> modelBar.answerPhase(b));

        BorderPane main = new BorderPane();
        ToggleGroup nav = new ToggleGroup();
        Map<String, ToggleButton> buttons = new LinkedHashMap<>();
        VBox sidebar = new VBox(Ui.XS);
        sidebar.setPadding(new Insets(Ui.L, Ui.M, Ui.M, Ui.M));
        sidebar.getStyleClass().add("sidebar");
        Label brand = new Label("Canopy", Ui.icon(Feather.FEATHER));
        brand.getStyleClass().add("brand");
        VBox.setMargin(brand, new Insets(0, 0, Ui.M, Ui.XS));
        sidebar.getChildren().add(brand);
        int digit = 1;
        for (Section s : SECTIONS) {
            ToggleButton b = new ToggleButton(s.label(), Ui.icon(s.icon()));
            b.setId("nav-" + s.key().toLowerCase(Locale.ROOT));
            b.setMaxWidth(Double.MAX_VALUE);
            b.getStyleClass().add(Styles.FLAT);
            b.setToggleGroup(nav);
            b.setUserData(s.key());
            b.setTooltip(new javafx.scene.control.Tooltip(s.label() + " (Ctrl+" + digit++ + ")"));
            b.setOnAction(e -> {
                b.setSelected(true);
                if (s.key().equals("MODELS")) modelsVm.refresh();
                if (s.key().equals("MEMORY")) memoryVm.refresh();
                main.setCenter(views.get(s.key()));
                settings.saveUiState(settings.uiState().withSection(s.key()));
            });
            buttons.put(s.key(), b);
            sidebar.getChildren().add(b);
        }
        Region grow = new Region();
        VBox.setVgrow(grow, Priority.ALWAYS);
        Button help = Ui.button("Shortcuts", Feather.HELP_CIRCLE, "Keyboard shortcuts (F1)");
        help.setId("show-help");
        help.getStyleClass().add(Styles.FLAT);
        help.setMaxWidth(Double.MAX_VALUE);
        sidebar.getChildren().addAll(grow, help);
        services.storageProblem().ifPresent(p -> {
            Label warn = new Label(p, Ui.icon(Feather.ALERT_TRIANGLE));
            warn.setWrapText(true);
            warn.getStyleClass().add(Styles.DANGER);
            warn.setPadding(new Insets(Ui.S));
            main.setTop(warn);
        });
        main.setLeft(sidebar);
        // No model and no conversation yet: a welcome page with the suggested downloads takes the chat's place until one is added.
        WelcomeView welcome = new WelcomeView(modelsVm, () -> buttons.get("MODELS").fire());
        // (earlier conversations stay readable without a model: then the chat shows, with its hint)
        var showWelcome = chatVm.hasModelProperty().not().and(javafx.beans.binding.Bindings.isEmpty(chatVm.conversations()));
        welcome.visibleProperty().bind(showWelcome);
        chat.visibleProperty().bind(showWelcome.not());
        chatSection.getChildren().add(welcome);
        modelsVm.downloads().setNotices(notices);
        chat.setOnOpenMemory(id -> {
            buttons.get("MEMORY").fire();
            memoryVm.reveal(id);
        });

        UiState ui = settings.uiState();
        String section = views.containsKey(ui.section()) ? ui.section() : "CHAT";
        buttons.get(section).setSelected(true);
        main.setCenter(views.get(section));
        chatVm.start(ui.lastConversation());

        HelpOverlay helpOverlay = new HelpOverlay();
        StackPane root = new StackPane(main, helpOverlay);
        help.setOnAction(e -> helpOverlay.toggle());
        Scene scene = new Scene(root, ui.width(), ui.height());
        scene.getStylesheets().add(CanopyDesktop.class.getResource("canopy.css").toExternalForm());
        var keys = scene.getAccelerators();
        keys.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> {
            buttons.get("CHAT").fire();
            chatVm.newConversation();
            chat.focusInput();
        });
        keys.put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
            if (helpOverlay.isVisible()) helpOverlay.toggle();
            else chatVm.stop();
        });
        keys.put(new KeyCodeCombination(KeyCode.F1), helpOverlay::toggle);
        keys.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            buttons.get("CHAT").fire();
            Node s = scene.lookup("#conversation-search");
            if (s != null) s.requestFocus();
        });
        keys.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), chatVm::regenerate);
        keys.put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN),
                () -> chat.exportConversation(dev.canopy.app.chat.ConversationFormat.MARKDOWN));
        keys.put(new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN), chat::importConversation);
        keys.put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), chat::focusInput);
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5};
        for (int i = 0; i < SECTIONS.size(); i++) {
            ToggleButton b = buttons.get(SECTIONS.get(i).key());
            keys.put(new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN), b::fire);
        }
        notices.onNotice(n -> {
            try {
                Notifications note = Notifications.create().owner(stage).title(n.title()).text(n.text())
                        .graphic(Ui.icon(Feather.CHECK_CIRCLE)).hideAfter(javafx.util.Duration.seconds(5));
                n.action().ifPresent(a -> note.action(new org.controlsfx.control.action.Action(a.label(), e -> a.run().run()))
                        .hideAfter(javafx.util.Duration.millis(MemoryViewModel.UNDO_FOR.toMillis())));
                note.show();
            } catch (RuntimeException ex) {
                System.getLogger("canopy").log(System.Logger.Level.DEBUG, "notification not shown", ex);
            }
        });
        stage.setTitle("Canopy");
        stage.setScene(scene);
        if (!Double.isNaN(ui.x())) { stage.setX(ui.x()); stage.setY(ui.y()); }
        stage.setMaximized(ui.maximized());
        stage.setOnCloseRequest(e -> settings.saveUiState(new UiState(stage.getX(), stage.getY(), stage.getWidth(),
                stage.getHeight(), stage.isMaximized(), settings.uiState().section(), settings.uiState().lastConversationId())));
        stage.show();
        chat.focusInput();
        String shots = System.getProperty("canopy.screenshots");
        if (shots != null) ScreenshotTour.run(scene, java.nio.file.Path.of(shots), ScreenshotTour.SECTIONS);
    }

    @Override
    public void stop() {
        if (memoryVm != null) memoryVm.commitPendingDelete();   // a deletion not undone is kept
        if (services != null) services.close();
    }

    /** Light, dark, or the operating system's scheme (followed when it changes). */
    static void applyTheme(Theme t) {
        theme = t;
        boolean dark = t == Theme.DARK || (t == Theme.SYSTEM && Platform.getPreferences().getColorScheme() == ColorScheme.DARK);
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }
}
