package dev.canopy.tools.memory.eval;

import java.time.Instant;
import java.util.List;

/**
 * One LoCoMo conversation as the evaluation uses it.
 *
 * @param skippedQuestions questions dropped because none of their evidence ids names a turn
 */
public record LocomoConversation(String name, String speakerA, String speakerB, List<Session> sessions,
                                 List<Question> questions, int skippedQuestions) {

    /** A session: its number, when it took place and its turns. */
    public record Session(int number, Instant at, List<Turn> turns) {
    }

    /** A turn; {@code text} includes the shared image's caption in brackets when there is one. */
    public record Turn(String diaId, String speaker, String text) {
    }

    /** A question with its category (1-5) and the dialogue ids of its evidence turns. */
    public record Question(String question, int category, List<String> evidence) {
    }

    public int turnCount() {
        return sessions.stream().mapToInt(s -> s.turns().size()).sum();
    }
}
