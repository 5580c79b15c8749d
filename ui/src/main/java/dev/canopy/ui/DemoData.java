package dev.canopy.ui;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.app.chat.ReplyStats;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.natives.UserDirs;

import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentException;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.summarize.Citations;
import dev.canopy.app.summarize.RunKey;
import dev.canopy.app.summarize.SummaryStore;
import dev.canopy.app.summarize.SummaryStyle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Demo content for screenshots (scripts/screenshots.sh): imports a model, and writes a conversation
 * whose answers show a table, code, their figures and the memories they used, plus a memory built
 * from earlier exchanges, and a short guide with a finished summary whose citations open its lines. The
 * answers and the summary are written here (a demo), not generated.
 */
public final class DemoData {
    private DemoData() {}

    public static void main(String[] args) {
        fill(UserDirs.data(), Path.of(args[0]));
    }

    /** Imports {@code model} into the data folder {@code home} and writes the demo conversations and memory. */
    static void fill(Path home, Path model) {
        try (DesktopServices app = DesktopServices.open(home)) {
            var entry = app.models().importFile(model);
            app.models().setActive(entry.file());
            var repo = app.conversations();
            ConversationId pets = repo.create("Miso's diet").id();
            var q = repo.append(pets, Role.USER, "My cat Miso loves sardines but she is 12 now. What should I remember about her?",
                    Optional.empty());
            var a = repo.append(pets, Role.ASSISTANT, "Noted: Miso is 12 and loves sardines. Older cats need less phosphorus, "
                    + "so keep sardines as a treat.", Optional.empty());
            app.memory().remember(pets, "Miso's diet", List.of(q, a));
            ConversationId id = repo.create("Weekly food plan for Miso").id();
            repo.append(id, Role.USER, "Make a weekly food plan for Miso, and a small script that prints it.", Optional.empty());
            List<String> used = app.memory().timeline().stream().limit(2).map(f -> f.text()).toList();
            List<String> ids = app.memory().timeline().stream().limit(2).map(f -> f.id().format()).toList(); // as ReplyStats stores them
            repo.append(id, Role.ASSISTANT, """
                    Here is a plan that keeps sardines as a treat, as you told me last time:

                    | day | morning | evening |
                    |---|---|---|
                    | Mon–Fri | senior wet food | dry food, 20 g |
                    | Saturday | senior wet food | **sardines** (half a tin) |
                    | Sunday | senior wet food | dry food, 20 g |

                    ```python
                    plan = {"Mon-Fri": "wet / dry", "Sat": "wet / sardines", "Sun": "wet / dry"}
                    for day, meals in plan.items():
                        print(f"{day:8} {meals}")  # one line per day
                    ```
                    """, Optional.of(new ReplyStats(1_482, 164, 38.4, 212, 1_646, 8_192, "END_OF_TEXT", used,
                    96, 1_210.0, ids)));
            repo.append(id, Role.USER, "Thanks! Can she have tuna too?", Optional.empty());
            summary(app, home);
            repo.append(id, Role.ASSISTANT, "Yes, now and then: tuna in water, not oil, at most once a week.",
                    Optional.of(new ReplyStats(1_671, 21, 39.0, 95, 1_692, 8_192, "END_OF_TEXT", used, 25, 980.0, ids)));
        }
    }

    /** A short guide (Markdown, cited by line) and a finished summary of it with citations, as Documents lists it. */
    private static void summary(DesktopServices app, Path home) {
        try {
            Path file = home.resolve("Demo documents").resolve("caring-for-an-older-cat.md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, GUIDE);
            Document doc = DocumentLoaders.load(file);
            SummaryStore store = app.summaries();
            store.saveDocument(doc);
            RunKey key = new RunKey(doc.contentHash(), "demo", 2048, "demo");
            store.beginRun(key, "passkey-llama-6l-384", 3);
            store.saveResult(key.id(), doc.contentHash(), SummaryStyle.BRIEF, "", "passkey-llama-6l-384", Citations.strip(SUMMARY),
                    SUMMARY);
        } catch (IOException | DocumentException e) {
            throw new IllegalStateException("Cannot write the demo document: " + e.getMessage(), e);
        }
    }

    private static final String GUIDE = """
            # Caring for an older cat

            Cats are called seniors from about eleven years of age. They sleep more, groom less and
            often drink more water than before. A check-up twice a year catches most problems early.

            ## Food

            Older cats need food that is easy on the kidneys: less phosphorus, good protein.
            Senior wet food helps them drink enough. Oily fish such as sardines is a treat,
            not a meal: once a week is plenty. Tuna should be packed in water, never in oil.

            ## Teeth and weight

            Weigh your cat every month. A loss of more than a tenth of her weight is a reason to see
            the vet. Sore teeth often show as eating slowly or dropping food.

            ## Comfort

            Stiff joints make jumping hard. A step up to the favourite window and a litter box with
            a low side make a big difference. Keep her bed warm and out of draughts.
            """;

    private static final String SUMMARY = """
            ## Caring for an older cat

            - Cats count as seniors from about eleven; a check-up twice a year catches problems early. [lines 3–4]
            - Senior wet food keeps the kidneys healthy; sardines are a weekly treat and tuna comes in water. [lines 8–10]
            - A monthly weigh-in matters: losing a tenth of her weight means a visit to the vet. [lines 14–15]
            - Steps, a low litter box and a warm bed help stiff joints. [lines 19–20]
            """;
}
