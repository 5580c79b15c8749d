package dev.canopy.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.app.settings.Theme;
import dev.canopy.app.settings.UiState;
import dev.canopy.natives.UserDirs;
import dev.canopy.ui.chat.ChatView;
import dev.canopy.ui.chat.ChatViewModel;
import dev.canopy.ui.common.UiThreads;
import dev.canopy.ui.documents.DocumentsView;
import dev.canopy.ui.documents.DocumentsViewModel;
import dev.canopy.ui.memory.MemoryView;
import dev.canopy.ui.memory.MemoryViewModel;
import dev.canopy.ui.models.ModelsView;
import dev.canopy.ui.settings.SettingsView;
import dev.canopy.ui.settings.SettingsViewModel;
import dev.canopy.ui.models.ModelsViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import java.util.List;
import java.util.Map;

/**
 * The desktop application: a sidebar (Chat, Models) and the section's view. Builds the app's
 * services once (DesktopServices), the view-models over them, and the views over those; restores
 * the window size, section and last conversation.
 */
public final class CanopyDesktop extends Application {
    private DesktopServices services; // owned
    private final java.nio.file.Path home; // the data folder; null = the user's (UserDirs.data())

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
        UiThreads threads = UiThreads.of(Platform::runLater);

        DocumentsView documents = new DocumentsView(new DocumentsViewModel(services.chat(), services::summaries, threads));
        ChatViewModel chatVm = new ChatViewModel(services.chat(), threads,
                id -> settings.saveUiState(withConversation(settings.uiState(), id)));
        ModelsViewModel modelsVm = new ModelsViewModel(services.models(), services.downloader(), threads);
        ChatView chat = new ChatView(chatVm);
        ModelsView models = new ModelsView(modelsVm);
        MemoryViewModel memoryVm = new MemoryViewModel(services.memory(), settings);
        MemoryView memory = new MemoryView(memoryVm);
        SettingsView settingsView = new SettingsView(new SettingsViewModel(settings, CanopyDesktop::applyTheme));
        services.localApi().startIfEnabled().ifPresent(problem -> System.getLogger("canopy").log(System.Logger.Level.WARNING, problem));
        settingsView.addSection(new dev.canopy.ui.settings.ApiServerPane(new dev.canopy.ui.settings.ApiServerViewModel(services.localApi(), threads)));
        Map<String, Node> sections = Map.of("CHAT", chat, "DOCUMENTS", documents, "MODELS", models, "MEMORY", memory,
                "SETTINGS", settingsView);

        BorderPane root = new BorderPane();
        ToggleGroup nav = new ToggleGroup();
        VBox sidebar = new VBox(6);
        sidebar.setPadding(new Insets(12));
        sidebar.getStyleClass().add("sidebar");
        Label brand = new Label("Canopy");
        brand.getStyleClass().add("title-3");
        sidebar.getChildren().add(brand);
        for (String key : new String[] {"CHAT", "DOCUMENTS", "MODELS", "MEMORY", "SETTINGS"}) {
            ToggleButton b = new ToggleButton(key.charAt(0) + key.substring(1).toLowerCase(java.util.Locale.ROOT));
            b.setId("nav-" + key.toLowerCase(java.util.Locale.ROOT));
            b.setMaxWidth(Double.MAX_VALUE);
            b.setToggleGroup(nav);
            b.setUserData(key);
            b.setOnAction(e -> {
                b.setSelected(true);
                if (key.equals("MODELS")) modelsVm.refresh();
                if (key.equals("MEMORY")) memoryVm.refresh();
                root.setCenter(sections.get(key));
                settings.saveUiState(settings.uiState().withSection(key));
            });
            sidebar.getChildren().add(b);
        }
        services.storageProblem().ifPresent(p -> {
            Label warn = new Label(p);
            warn.setWrapText(true);
            warn.getStyleClass().add("error-text");
            warn.setPadding(new Insets(8));
            root.setTop(warn);
        });
        root.setLeft(sidebar);

        UiState ui = settings.uiState();
        String section = sections.containsKey(ui.section()) ? ui.section() : "CHAT";
        if (!services.chat().hasActiveModel() && services.models().list().isEmpty()) section = "MODELS";
        String start = section;
        nav.getToggles().stream().filter(t -> start.equals(t.getUserData())).findFirst().ifPresent(t -> t.setSelected(true));
        root.setCenter(sections.get(section));
        chatVm.start(ui.lastConversationId());

        Scene scene = new Scene(root, ui.width(), ui.height());
        scene.getStylesheets().add(CanopyDesktop.class.getResource("canopy.css").toExternalForm());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> {
            chatVm.newConversation();
            chat.focusInput();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), chatVm::stop);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                () -> { Node s = scene.lookup("#conversation-search"); if (s != null) s.requestFocus(); });
        stage.setTitle("Canopy");
        stage.setScene(scene);
        if (!Double.isNaN(ui.x())) { stage.setX(ui.x()); stage.setY(ui.y()); }
        stage.setMaximized(ui.maximized());
        stage.setOnCloseRequest(e -> settings.saveUiState(new UiState(stage.getX(), stage.getY(), stage.getWidth(),
                stage.getHeight(), stage.isMaximized(), settings.uiState().section(), settings.uiState().lastConversationId())));
        stage.show();
        chat.focusInput();
        String shots = System.getProperty("canopy.screenshots");
        if (shots != null) ScreenshotTour.run(scene, java.nio.file.Path.of(shots), List.of("CHAT", "DOCUMENTS", "MODELS", "MEMORY", "SETTINGS"));
    }

    @Override
    public void stop() {
        if (services != null) services.close();
    }

    private static UiState withConversation(UiState s, String id) {
        return new UiState(s.x(), s.y(), s.width(), s.height(), s.maximized(), s.section(), id);
    }

    private static void applyTheme(Theme theme) {
        boolean dark = theme == Theme.DARK;
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }
}
