package dev.canopy.ui.settings;

import dev.canopy.app.settings.WorkerCheck;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settings, "Other computers": the workers ({@code canopy worker}) a model's offloaded layers go to, as
 * {@code host:port}; saved with the other settings by {@link SettingsViewModel#save}. "Check" runs each
 * worker's handshake in the background and lists one sentence per worker; Cancel drops the results.
 */
public final class OtherComputersViewModel {
    /** Whether a check runs. */
    public enum CheckState { IDLE, CHECKING }

    private final UiThreads threads;
    private final AtomicInteger run = new AtomicInteger();   // a check's results count only while it is the latest
    /** The workers, in the order layers are placed on them. */
    public final ObservableList<String> workers = FXCollections.observableArrayList();
    /** The {@code host:port} being typed. */
    public final StringProperty newWorker = new SimpleStringProperty("");
    /** What the last add or check said (one line), or "". */
    public final StringProperty message = new SimpleStringProperty("");
    /** The last check's result per worker. */
    public final ObservableList<WorkerCheck.Result> results = FXCollections.observableArrayList();
    public final ObjectProperty<CheckState> state = new SimpleObjectProperty<>(CheckState.IDLE);

    public OtherComputersViewModel(UiThreads threads) {
        this.threads = threads;
    }

    /** Shows {@code saved} (dropping edits and check results). */
    void show(List<String> saved) {
        cancelCheck();
        workers.setAll(saved);
        newWorker.set("");
        message.set("");
        results.clear();
    }

    /** Adds what {@link #newWorker} holds; says what is wrong with it instead when it is not {@code host:port}. */
    public boolean add() {
        String text = newWorker.get() == null ? "" : newWorker.get().strip();
        RpcEndpoint e;
        try {
            e = RpcEndpoint.parse(text);
        } catch (IllegalArgumentException ex) {
            message.set(text.isEmpty() ? "Type the other computer's address as host:port, e.g. 192.168.1.20:50052."
                    : Character.toUpperCase(ex.getMessage().charAt(0)) + ex.getMessage().substring(1) + ".");
            return false;
        }
        String hostPort = e.toString();
        if (workers.contains(hostPort)) {
            message.set(hostPort + " is in the list already.");
            return false;
        }
        workers.add(hostPort);
        newWorker.set("");
        message.set(e.isLoopback() ? "Added " + hostPort + ". Save to use it."
                : "Added " + hostPort + ". Save to use it. Its connection has no password or encryption: use it on a trusted network or through an SSH tunnel.");
        return true;
    }

    public void remove(String hostPort) {
        workers.remove(hostPort);
        results.removeIf(r -> r.worker().equals(hostPort));
        message.set("Removed " + hostPort + ". Save to stop using it.");
    }

    /** Checks every listed worker in the background, one after the other. */
    public void check() {
        List<String> todo = new ArrayList<>(workers);
        if (todo.isEmpty()) {
            message.set("Add another computer first.");
            return;
        }
        int mine = run.incrementAndGet();
        results.clear();
        state.set(CheckState.CHECKING);
        message.set("Checking " + todo.size() + (todo.size() == 1 ? " computer…" : " computers…"));
        threads.inBackground(() -> {
            for (String w : todo) {
                if (run.get() != mine) return;
                WorkerCheck.Result r = WorkerCheck.check(w);
                threads.onUi(() -> { if (run.get() == mine) results.add(r); });
            }
            threads.onUi(() -> {
                if (run.get() != mine) return;
                state.set(CheckState.IDLE);
                long ready = results.stream().filter(r -> r.outcome() == WorkerCheck.Outcome.READY).count();
                message.set(ready == todo.size() ? "Every computer answered: the model's layers can go there."
                        : ready + " of " + todo.size() + " answered. A model does not load while a listed computer cannot be reached: remove it or start `canopy worker` there.");
            });
        });
    }

    /** Stops a check: the worker being asked is left to time out, and no result is shown. */
    public void cancelCheck() {
        run.incrementAndGet();
        if (state.get() == CheckState.CHECKING) message.set("Check cancelled.");
        state.set(CheckState.IDLE);
    }
}
