package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.Role;
import dev.canopy.app.errors.UserFacingException;
import dev.canopy.app.memories.MemoryFact;
import dev.canopy.app.memories.MemoryService;
import dev.canopy.app.settings.AppSettings;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Speculation;
import dev.canopy.engine.SpeculationMode;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.speculative.DraftVocabulary;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.WorkerLostException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Chatting with the active model: stores the user's message, recalls memories, builds the prompt,
 * streams the answer, stores it with its statistics, and lets memory learn from the exchange.
 * The answering methods block; call them from one background thread.
 */
public final class ChatService {
    public static final String NEW_CHAT_TITLE = "New chat";
    private static final int MAX_ANSWER_TOKENS = 2048;
    private static final int RECALL_LIMIT = 6;

    private final ConversationRepository conversations;
    private final MemoryService memory;
    private final SettingsStore settings;
    private final ModelRuntime runtime;

    public ChatService(ConversationRepository conversations, MemoryService memory, SettingsStore settings, ModelRuntime runtime) {
        this.conversations = conversations;
        this.memory = memory;
        this.settings = settings;
        this.runtime = runtime;
    }

    public ConversationRepository conversations() {
        return conversations;
    }

    /** Stores a user message (and names a new conversation after it). */
    public StoredMessage addUserMessage(ConversationId conversationId, String text) {
        Conversation c = conversation(conversationId);
        if (c.title().equals(NEW_CHAT_TITLE) && conversations.messages(conversationId).isEmpty()) {
            conversations.save(c.withTitle(titleFrom(text)));
        }
        return conversations.append(conversationId, Role.USER, text, Optional.empty());
    }

    /** Deletes a conversation and the KV it saved on disk; see {@link #forgetSavedKv}. */
    public void deleteConversation(ConversationId conversationId) {
        conversations.delete(conversationId);
        forgetSavedKv(conversationId);
    }

    /**
     * Deletes the KV a (deleted) conversation kept on disk with KV tiers. Call it from the chat's
     * background thread: closing the conversation's open session writes its KV first.
     */
    public void forgetSavedKv(ConversationId conversationId) {
        runtime.forget(conversationId);
        try {
            KvTiers.deleteSaved(settings.paths().kvDir(), conversationId);
        } catch (java.io.IOException | RuntimeException e) {
            // The conversation is gone; a leftover KV file only takes disk space and is never read again.
        }
    }

    /** Removes the last answer so {@link #reply} can write a new one. */
    public void dropLastAnswer(ConversationId conversationId) {
        List<StoredMessage> msgs = conversations.messages(conversationId);
        if (!msgs.isEmpty() && msgs.getLast().role() == Role.ASSISTANT) conversations.deleteFrom(conversationId, msgs.getLast().id());
    }

    /** Replaces a user message (and everything after it) with {@code text}. */
    public StoredMessage editMessage(ConversationId conversationId, MessageId messageId, String text) {
        conversations.deleteFrom(conversationId, messageId);
        return conversations.append(conversationId, Role.USER, text, Optional.empty());
    }

    /**
     * Answers the conversation's last user message. When a worker (another computer) is lost mid-answer,
     * the partial answer is dropped, the model is unloaded, and {@link WorkerLostException} names the
     * worker; the conversation is kept, and the next answer loads the model without that worker.
     */
    public ChatReply reply(ConversationId conversationId, ChatListener listener, CancellationToken cancel) {
        try {
            return answer(conversationId, listener, cancel);
        } catch (WorkerLostException e) {
            runtime.workerLost(e.worker());   // after the lease is returned
            throw e;
        }
    }

    private ChatReply answer(ConversationId conversationId, ChatListener listener, CancellationToken cancel) {
        Conversation c = conversation(conversationId);
        List<StoredMessage> history = conversations.messages(conversationId);
        if (history.isEmpty() || history.getLast().role() != Role.USER) {
            throw new UserFacingException("There is no question to answer. Type a message first.");
        }
        AppSettings s = settings.settings();
        loadActiveModel(s, listener);
        Optional<String> draftProblem = loadDraft(s, listener);
        List<MemoryFact> facts = List.of();
        if (s.memoryEnabled()) {
            listener.onPhase(ChatPhase.RECALLING);
            facts = memory.recall(Attachments.question(history.getLast().content()), RECALL_LIMIT);
            listener.onMemories(facts);
        }
        try (ModelRuntime.Lease lease = runtime.lease(conversationId, KvTiers.of(s, settings.paths().kvDir()))) {
            draftProblem.ifPresent(listener::onNotice);
            return answerWith(lease, conversationId, c, history, s, facts, cancel, listener);
        }
    }

    /** The answer itself, on a leased model and session (nobody frees them meanwhile). */
    private ChatReply answerWith(ModelRuntime.Lease lease, ConversationId conversationId, Conversation c, List<StoredMessage> history,
                                 AppSettings s, List<MemoryFact> facts, CancellationToken cancel, ChatListener listener) {
        InferenceModel model = lease.model();
        ChatSession chatSession = lease.chat();
        chatSession.notice().ifPresent(listener::onNotice);
        GenerationSession session = chatSession.session();
        PromptBuilder.Prompt prompt = PromptBuilder.build(model, session.contextTokens(), c.systemPrompt(), facts, history);
        listener.onContext(prompt.tokens(), session.contextTokens());
        listener.onPhase(ChatPhase.READING_PROMPT);
        int maxTokens = Math.max(1, Math.min(MAX_ANSWER_TOKENS, session.contextTokens() - prompt.tokens()));
        GenerationRequest request = new GenerationRequest(prompt.text(), maxTokens,
                c.preset().sampler(System.nanoTime()), List.of(), cancel).withSpeculation(speculation(s, lease, listener));
        AnswerDraft draft = conversations.startAnswer(conversationId);
        GenerationResult r;
        try {
            r = session.generate(request, new GenerationListener() {
                private boolean writing;

                @Override public void onPrefillProgress(int done, int total) { listener.onPrefill(done, total); }

                @Override public void onText(String delta) {
                    if (!writing) { writing = true; listener.onPhase(ChatPhase.WRITING); }
                    draft.append(delta);
                    listener.onText(delta);
                }
            });
        } catch (RuntimeException e) {
            draft.abandon();
            throw e;
        }
        var st = r.stats();
        ReplyStats stats = new ReplyStats(st.promptTokens(), st.generatedTokens(), st.decodeTokensPerSecond(),
                st.timeToFirstTokenMillis(), session.usedTokens(), session.contextTokens(), r.stopReason().name(),
                facts.stream().map(MemoryFact::text).toList(), st.prefilledTokens(), st.prefillTokensPerSecond(),
                facts.stream().map(f -> f.id().format()).toList(), st.draftedTokens(), st.acceptedTokens(), st.speculationNote());
        Optional<StoredMessage> answer = Optional.empty();
        if (r.text().isBlank()) {
            draft.abandon();
        } else {
            answer = Optional.of(draft.complete(r.text().strip(), stats));
            if (s.memoryEnabled() && r.stopReason() != StopReason.CANCELLED) {
                memory.remember(conversationId, conversation(conversationId).title(), List.of(history.getLast(), answer.get()));
            }
        }
        return new ChatReply(answer, stats, facts, prompt.droppedMessages(), chatSession.notice());
    }

    /**
     * "Faster answers" for this answer: prompt lookup, or the leased draft model when its vocabulary is the
     * model's (otherwise the answer decodes one token at a time and a notice says why).
     */
    private static Speculation speculation(AppSettings s, ModelRuntime.Lease lease, ChatListener listener) {
        return switch (s.speculation()) {
            case OFF -> Speculation.off();
            case LOOKUP -> Speculation.lookup();
            case DRAFT -> lease.draft().map(d -> {
                Optional<String> why = DraftVocabulary.mismatch(lease.model().tokenizer(), d.tokenizer());
                why.ifPresent(w -> listener.onNotice("The draft model cannot propose for this model (" + w
                        + "): answers are not sped up. Choose another draft model in Settings, Faster answers."));
                return why.isPresent() ? Speculation.off() : Speculation.draft(d, Speculation.DEFAULT_DRAFT_MAX);
            }).orElse(Speculation.off());
        };
    }

    /** Loads (or frees) the draft model the settings ask for; says why when it cannot be used. */
    private Optional<String> loadDraft(AppSettings s, ChatListener listener) {
        if (s.speculation() != SpeculationMode.DRAFT) {
            runtime.loadDraft(Optional.empty());
            return Optional.empty();
        }
        if (s.draftModel().isBlank() || !Files.isRegularFile(Path.of(s.draftModel()))) {
            runtime.loadDraft(Optional.empty());
            return Optional.of(s.draftModel().isBlank() ? "No draft model is chosen: answers are not sped up. Choose one in Settings, Faster answers."
                    : "The draft model " + Path.of(s.draftModel()).getFileName() + " is missing: answers are not sped up. Choose another in Settings, Faster answers.");
        }
        try {
            runtime.loadDraft(Optional.of(Path.of(s.draftModel())));
            return Optional.empty();
        } catch (RuntimeException e) {
            runtime.loadDraft(Optional.empty());
            return Optional.of("The draft model " + Path.of(s.draftModel()).getFileName() + " did not load ("
                    + dev.canopy.app.errors.UserMessages.describe("draft model", e).text() + "): answers are not sped up.");
        }
    }

    /** How full the context window is for this conversation (counted exactly once a model is loaded). */
    public ContextUsage contextUsage(ConversationId conversationId) {
        Conversation c = conversation(conversationId);
        List<StoredMessage> history = conversations.messages(conversationId);
        Optional<ContextUsage> counted = runtime.withModel(m -> {
            int size = runtime.contextTokens();
            if (history.isEmpty()) return new ContextUsage(0, size, false);
            try {
                int used = PromptBuilder.build(m, Integer.MAX_VALUE / 2, c.systemPrompt(), List.of(), history).tokens();
                return new ContextUsage(used, size, false);
            } catch (RuntimeException e) {
                return new ContextUsage(0, size, true);
            }
        });
        if (counted.isPresent()) return counted.get();
        int chars = c.systemPrompt().length() + history.stream().mapToInt(x -> x.content().length() + 16).sum();
        int size = settings.settings().contextTokens() > 0 ? settings.settings().contextTokens() : 8192;
        return new ContextUsage(chars / 4, size, true);
    }

    /** Characters of a dropped document that fit comfortably in the context window. */
    public int documentBudgetChars() {
        int ctx = runtime.model().map(x -> runtime.contextTokens())
                .orElse(settings.settings().contextTokens() > 0 ? settings.settings().contextTokens() : 8192);
        return Math.max(2000, (ctx - 1536) * 3);
    }

    /** Where the loaded model runs, for the model bar: "CPU" or the GPU and its share; empty when none is loaded. */
    public Optional<String> runsOn() {
        return runtime.model().map(InferenceModel::runsOn);
    }

    /** Whether a model is chosen and its file exists. */
    public boolean hasActiveModel() {
        String a = settings.settings().activeModel();
        return !a.isBlank() && Files.isRegularFile(Path.of(a));
    }

    /** Whether the active model is loaded with the current settings (the next answer starts without loading it). */
    public boolean isActiveModelLoaded() {
        AppSettings s = settings.settings();
        return hasActiveModel() && runtime.isLoaded(Path.of(s.activeModel()), s.engineOptions());
    }

    /** Loads the active model now (so the first answer starts at once). */
    public void preload() {
        loadActiveModel(settings.settings(), ChatListener.NONE);
    }

    /**
     * Runs {@code work} on the active model, loaded if needed (documents share it with the chat),
     * holding a lease: a settings change that reloads the model waits until the work is done, and
     * memory extraction in the background pauses until then.
     */
    public <T> T withActiveModel(java.util.function.Function<InferenceModel, T> work) {
        loadActiveModel(settings.settings(), ChatListener.NONE);
        try {
            return runtime.withModelInForeground(work).orElseThrow(() -> new UserFacingException(
                    "The model was unloaded before the work could start. Try again."));
        } catch (WorkerLostException e) {
            runtime.workerLost(e.worker());   // the lease is back: the next work loads the model without it
            throw e;
        }
    }

    private InferenceModel loadActiveModel(AppSettings s, ChatListener listener) {
        if (s.activeModel().isBlank()) {
            throw new UserFacingException("No model is selected yet. Import a .gguf file or download a small model in the Models view.");
        }
        Path file = Path.of(s.activeModel());
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException("The selected model " + file.getFileName() + " is missing. Choose another one in the Models view.");
        }
        if (runtime.isLoaded(file, s.engineOptions())) return runtime.load(file, s.engineOptions());
        listener.onPhase(ChatPhase.LOADING_MODEL);
        List<RpcEndpoint> lost = runtime.lostWorkers(s.engineOptions());
        if (lost.isEmpty()) return runtime.load(file, s.engineOptions());
        String names = String.join(", ", lost.stream().map(RpcEndpoint::toString).toList());
        try {
            InferenceModel m = runtime.load(file, s.engineOptions());
            listener.onNotice("The model runs without " + (lost.size() == 1 ? "worker " : "workers ") + names
                    + ", lost during an earlier answer. Change Other computers in Settings, or restart Canopy, to use it again.");
            return m;
        } catch (RuntimeException e) {
            throw new UserFacingException("The model could not be loaded without " + (lost.size() == 1 ? "worker " : "workers ")
                    + names + ", lost during an earlier answer: "
                    + dev.canopy.app.errors.UserMessages.describe("Loading the model", e).text()
                    + " Start `canopy worker` there again, or change Other computers in Settings.");
        }
    }

    private Conversation conversation(ConversationId id) {
        return conversations.find(id).orElseThrow(() -> new UserFacingException("That conversation no longer exists."));
    }

    static String titleFrom(String text) {
        String q = Attachments.question(text).replaceAll("\\s+", " ").strip();
        if (q.isEmpty()) q = Attachments.documentName(text).map(n -> "About " + n).orElse(NEW_CHAT_TITLE);
        return q.length() <= 48 ? q : q.substring(0, q.lastIndexOf(' ', 47) > 20 ? q.lastIndexOf(' ', 47) : 47) + "…";
    }
}
