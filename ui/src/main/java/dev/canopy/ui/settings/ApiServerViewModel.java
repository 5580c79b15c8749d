package dev.canopy.ui.settings;

import dev.canopy.app.api.LocalApiService;
import dev.canopy.app.errors.UserFacingException;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Settings, "Local API server": on/off, port and key, applied through {@link LocalApiService}
 * (off the UI thread), and a status line (URL, requests served, active clients).
 */
public final class ApiServerViewModel {
    private final LocalApiService service; // app service
    private final UiThreads threads;
    public final BooleanProperty enabled = new SimpleBooleanProperty();
    public final StringProperty port = new SimpleStringProperty();
    public final StringProperty key = new SimpleStringProperty();
    public final StringProperty status = new SimpleStringProperty("");
    public final BooleanProperty busy = new SimpleBooleanProperty();

    public ApiServerViewModel(LocalApiService service, UiThreads threads) {
        this.service = service;
        this.threads = threads;
        LocalApiService.Settings s = service.settings();
        enabled.set(s.enabled());
        port.set(Integer.toString(s.port()));
        key.set(s.key());
        refresh();
    }

    /** Fills the key field with a new random key (applied with {@link #apply}). */
    public void generateKey() {
        key.set(LocalApiService.newKey());
    }

    /** Saves the fields and starts, restarts or stops the server; a wrong port or a port in use shows in the status line. */
    public void apply() {
        int p;
        try {
            p = Integer.parseInt(port.get().strip());
        } catch (NumberFormatException e) {
            status.set("The port must be a number between 1 and 65535.");
            return;
        }
        LocalApiService.Settings s = new LocalApiService.Settings(enabled.get(), p, key.get() == null ? "" : key.get().strip());
        busy.set(true);
        threads.inBackground(() -> {
            String line;
            try {
                line = describe(service.apply(s));
            } catch (UserFacingException e) {
                line = e.getMessage();
            }
            String shown = line;
            threads.onUi(() -> {
                busy.set(false);
                status.set(shown);
            });
        });
    }

    /** Updates the status line from the running server. */
    public void refresh() {
        status.set(describe(service.status()));
    }

    static String describe(LocalApiService.Status s) {
        if (!s.running()) return "Off";
        return "Listening on " + s.url() + "/v1 · " + s.served() + " request" + (s.served() == 1 ? "" : "s") + " served · "
                + s.activeClients() + " active client" + (s.activeClients() == 1 ? "" : "s");
    }
}
