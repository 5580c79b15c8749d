package dev.canopy.ui.chat;

import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.ui.common.UiThreads;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FX thread's longest pause (how long a click could wait) while 1 MB is pasted into the
 * composer and while an answer of 2,000 tokens streams in, next to the same probe on the idle
 * window in the same run. A probe thread posts a tiny task every 2 ms and records how long the
 * longest one waited. The limit is 100 ms over the idle window's own longest pause while the
 * machine has CPU to spare (load average under 0.75 per core); on an overloaded machine, where
 * every frame takes several times longer, it prints the figures and fails only on a freeze (2 s).
 */
class ChatPauseTest {
    static final long LIMIT_MS = 100;
    static final long FREEZE_MS = 2_000;
    @TempDir Path home;
    DesktopServices services;
    ChatViewModel vm;
    ChatView view;
    final FxRobot robot = new FxRobot();

    @BeforeEach
    void open() throws Exception {
        services = DesktopServices.open(home);
        Stage stage = FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            vm = new ChatViewModel(services.chat(), UiThreads.of(Platform::runLater), id -> {});
            view = new ChatView(vm, new ModelBarViewModel(services.models(), services.chat(), services.settings(),
                    UiThreads.of(Platform::runLater)));
            vm.newConversation();
            s.setScene(new Scene(view, 1100, 760));
            s.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(stage.isShowing()).isTrue();
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        services.close();
    }

    @Test
    void pastingOneMegabyteAndStreaming2000TokensKeepTheWindowResponsive() throws Exception {
        long idle = longestPause(() -> sleep(1500));

        String megabyte = ("Canopy reads long prompts in fixed chunks. ".repeat(24) + "\n").repeat(1_100).substring(0, 1 << 20);
        WaitForAsyncUtils.asyncFx(() -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(megabyte);
            Clipboard.getSystemClipboard().setContent(c);
        }).get(30, TimeUnit.SECONDS);
        robot.clickOn("#composer");
        long paste = longestPause(() -> {
            robot.press(KeyCode.CONTROL).type(KeyCode.V).release(KeyCode.CONTROL);
            WaitForAsyncUtils.waitForFxEvents();
            sleep(500);
        });
        String inField = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#composer").queryAs(TextArea.class).getText())
                .get(30, TimeUnit.SECONDS);
        assertThat(inField).as("the paste is attached, not put in the field").isEmpty();
        assertThat(WaitForAsyncUtils.asyncFx(() -> vm.attachmentProperty().get()).get(30, TimeUnit.SECONDS))
                .satisfies(d -> assertThat(d.totalChars()).isEqualTo(1 << 20));

        long first = stream(2000);   // the first answer also loads the code font and builds the first table
        long fxThread = WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().threadId()).get(30, TimeUnit.SECONDS);
        long cpu0 = ManagementFactory.getThreadMXBean().getThreadCpuTime(fxThread);
        long stream = stream(2000);
        long cpuMs = (ManagementFactory.getThreadMXBean().getThreadCpuTime(fxThread) - cpu0) / 1_000_000;
        System.out.printf("FX thread's longest pause: idle %d ms, pasting 1 MB %d ms, streaming 2,000 tokens %d ms"
                + " (the first answer in a fresh window: %d ms)%n", idle, paste, stream, first);
        // what the window did for the second answer, in CPU time (a figure a loaded machine disturbs less than pauses)
        System.out.printf("FX thread's CPU time while streaming the second answer of 2,000 tokens: %d ms%n", cpuMs);
        // The limit holds on a machine with CPU to spare; on an overloaded one (parallel builds) every pulse
        // takes several times longer, so only a freeze (the window stuck for seconds) fails the test there.
        double loadPerCore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                / Runtime.getRuntime().availableProcessors();
        long limit = loadPerCore >= 0 && loadPerCore < 0.75 ? LIMIT_MS : FREEZE_MS;
        System.out.printf("load average per core %.2f: asserting pauses under %d ms%n", loadPerCore, limit);
        assertThat(paste).as("longest pause while pasting 1 MB (idle: %d ms)", idle).isLessThan(limit + idle);
        assertThat(stream).as("longest pause while streaming 2,000 tokens (idle: %d ms)", idle).isLessThan(limit + idle);
    }

    /** Streams {@code n} tokens into a new answer at 1,000 tokens/s; returns the FX thread's longest pause. */
    private long stream(int n) throws Exception {
        MessageItem answer = new MessageItem(java.util.Optional.empty(), Role.ASSISTANT, "", "");
        WaitForAsyncUtils.asyncFx(() -> vm.messages().add(answer)).get(30, TimeUnit.SECONDS);
        String[] tokens = tokens(n);
        long worst = longestPause(() -> {
            CountDownLatch last = new CountDownLatch(1);
            for (int i = 0; i < tokens.length; i++) {
                String t = tokens[i];
                boolean end = i == tokens.length - 1;
                Platform.runLater(() -> { answer.append(t); if (end) last.countDown(); });
                LockSupport.parkNanos(1_000_000);   // 1,000 tokens/s: faster than any model here
            }
            await(last);
            WaitForAsyncUtils.waitForFxEvents();
        });
        assertThat(answer.text()).isEqualTo(String.join("", tokens));
        return worst;
    }

    /** Markdown pieces like a model's: paragraphs, a table, a code block, about 2,000 of them. */
    static String[] tokens(int n) {
        String text = ("Here is what the data shows, step by step.\n\n| model | size | speed |\n|---|---|---|\n"
                + "| small | 0.5 GB | fast |\n| large | 4 GB | slow |\n\n```java\nint total = 0;\nfor (int i = 0; i < 10; i++) "
                + "{ total += i; } // sum\n```\n\nIn short, the smaller one answers sooner. ").repeat(60);
        String[] words = text.split("(?<= )|(?=\\n)");
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = words[i % words.length];
        return out;
    }

    /** Runs {@code work} while a probe measures the FX thread's longest wait, in ms. */
    private static long longestPause(Runnable work) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong worst = new AtomicLong();
        Thread probe = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                long t0 = System.nanoTime();
                CountDownLatch ran = new CountDownLatch(1);
                Platform.runLater(ran::countDown);
                await(ran);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                worst.accumulateAndGet(ms, Math::max);
                sleep(2);
            }
        });
        try {
            work.run();
        } finally {
            running.set(false);
            probe.join();
        }
        return worst.get();
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(60, TimeUnit.SECONDS)) throw new AssertionError("the FX thread did not answer within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
