package dev.canopy.app.cli;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.memory.MemoryConfig;
import dev.canopy.memory.MemoryStore;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.fact.FactHit;
import dev.canopy.memory.manage.ForgetReport;
import dev.canopy.natives.UserDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code canopy memory list|search|forget}: the long-term memory in the user's database. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Long-term memory in your database: list and search facts, forget a conversation.",
        subcommands = {MemoryCommand.ListFacts.class, MemoryCommand.Search.class, MemoryCommand.Forget.class})
public final class MemoryCommand implements Runnable {
    @Option(names = "--db", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The database (default: canopy.db in the data folder).")
    Path db;

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    MemoryStore open() {
        Path file = db != null ? db : new SettingsStore(UserDirs.data()).paths().database();
        if (!Files.isRegularFile(file)) throw new CliException("No database at " + file + " yet: chat in the app first.");
        try {
            return MemoryStore.open(file, MemoryConfig.noModel());
        } catch (RuntimeException e) {
            throw new CliException("Could not open " + file + ": " + e.getMessage(), e);
        }
    }

    static String line(Fact f) {
        return String.format("%6d  %s  %s", f.id(), f.ts().toString().substring(0, 10), f.text());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Facts, newest first.")
    static final class ListFacts implements Callable<Integer> {
        @ParentCommand MemoryCommand parent;
        @Spec CommandSpec spec;
        @Option(names = "--limit", defaultValue = "50", paramLabel = "N") int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (MemoryStore store = parent.open()) {
                out.println(store.facts().count() + " facts");
                store.facts().list(0, limit).forEach(f -> out.println(line(f)));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Facts matching the words (full-text).")
    static final class Search implements Callable<Integer> {
        @ParentCommand MemoryCommand parent;
        @Spec CommandSpec spec;
        @Parameters(arity = "1..*", paramLabel = "WORDS") java.util.List<String> words;
        @Option(names = "--limit", defaultValue = "20", paramLabel = "N") int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (MemoryStore store = parent.open()) {
                var hits = store.facts().search(String.join(" ", words), limit);
                if (hits.isEmpty()) out.println("No memory matches.");
                for (FactHit h : hits) out.println(line(h.fact()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Deletes a conversation and everything memory learned from it.")
    static final class Forget implements Callable<Integer> {
        @ParentCommand MemoryCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "CONVERSATION_ID", converter = ConversationIds.class) ConversationId conversationId;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (MemoryStore store = parent.open()) {
                if (store.conversations().get(conversationId).isEmpty()) {
                    throw new CliException("No conversation with id " + conversationId);
                }
                ForgetReport r = store.forgetConversation(conversationId);
                out.printf("Forgot conversation %s: %d messages, %d facts deleted (%d kept: also learned elsewhere).%n",
                        conversationId, r.messages(), r.factsDeleted(), r.factsKept());
            }
            out.flush();
            return 0;
        }
    }

    /** The command line's text of a conversation id, read by {@link ConversationId#parse}. */
    static final class ConversationIds implements ITypeConverter<ConversationId> {
        @Override
        public ConversationId convert(String text) {
            return ConversationId.parse(text).orElseThrow(() -> new TypeConversionException("'" + text + "' is not a conversation id"));
        }
    }
}
