package dev.canopy.ui;

import dev.canopy.app.chat.ChatListener;
import dev.canopy.app.chat.ChatService;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.engine.CancellationToken;
import dev.canopy.natives.UserDirs;

import java.nio.file.Path;

/** Demo content for screenshots (scripts/screenshots.sh): imports a model and has one short exchange. */
public final class DemoData {
    private DemoData() {}

    public static void main(String[] args) {
        fill(UserDirs.data(), Path.of(args[0]));
    }

    /** Imports {@code model} into the data folder {@code home} and has one short, stopped exchange with it. */
    static void fill(Path home, Path model) {
        try (DesktopServices app = DesktopServices.open(home)) {
            var entry = app.models().importFile(model);
            app.models().setActive(entry.file());
            String id = app.conversations().create(ChatService.NEW_CHAT_TITLE).id();
            app.chat().addUserMessage(id, "My cat Miso loves sardines. What should I remember about her?");
            CancellationToken stop = new CancellationToken();
            app.chat().reply(id, new ChatListener() {
                int n;
                @Override public void onText(String delta) { if (++n == 40) stop.cancel(); }
            }, stop);
            app.memory().remember(id, "Demo", java.util.List.of());
        }
    }
}
