package dev.canopy.ui;

import dev.canopy.app.chat.ReplyStats;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.desktop.DesktopServices;
import dev.canopy.natives.UserDirs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Demo content for screenshots (scripts/screenshots.sh): imports a model, and writes a conversation
 * whose answers show a table, code, their figures and the memories they used, plus a memory built
 * from earlier exchanges. The answers are written here (a demo), not generated.
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
            String pets = repo.create("Miso's diet").id();
            var q = repo.append(pets, Role.USER, "My cat Miso loves sardines but she is 12 now. What should I remember about her?",
                    Optional.empty());
            var a = repo.append(pets, Role.ASSISTANT, "Noted: Miso is 12 and loves sardines. Older cats need less phosphorus, "
                    + "so keep sardines as a treat.", Optional.empty());
            app.memory().remember(pets, "Miso's diet", List.of(q, a));
            String id = repo.create("Weekly food plan for Miso").id();
            repo.append(id, Role.USER, "Make a weekly food plan for Miso, and a small script that prints it.", Optional.empty());
            List<String> used = app.memory().timeline().stream().limit(2).map(f -> f.text()).toList();
            List<String> ids = app.memory().timeline().stream().limit(2).map(f -> f.id()).toList();
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
            repo.append(id, Role.ASSISTANT, "Yes, now and then: tuna in water, not oil, at most once a week.",
                    Optional.of(new ReplyStats(1_671, 21, 39.0, 95, 1_692, 8_192, "END_OF_TEXT", used, 25, 980.0, ids)));
        }
    }
}
