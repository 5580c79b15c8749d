package dev.canopy.tools.memory.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a LoCoMo file ({@code speaker_a}, {@code session_N}, {@code session_N_date_time}, {@code qa}).
 * Evidence ids are cleaned: lists written as one string ("D8:6; D9:17") are split, "D:11:26" reads
 * as D11:26, ids naming no turn are dropped, and a question left without evidence is skipped.
 * Session dates are taken as UTC.
 */
public final class LocomoLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIA = Pattern.compile("D:?(\\d+):(\\d+)");
    private static final DateTimeFormatter WHEN = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);

    private LocomoLoader() {
    }

    public static LocomoConversation load(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode conv = root.has("conversation") ? root.get("conversation") : root;
        List<LocomoConversation.Session> sessions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int n = 1; conv.has("session_" + n) || conv.has("session_" + n + "_date_time"); n++) {
            JsonNode turns = conv.get("session_" + n);
            if (turns == null || !turns.isArray() || turns.isEmpty()) {
                continue;
            }
            String when = conv.path("session_" + n + "_date_time").asText();
            var at = LocalDateTime.parse(when.trim(), WHEN).toInstant(ZoneOffset.UTC);
            List<LocomoConversation.Turn> list = new ArrayList<>();
            for (JsonNode t : turns) {
                String text = t.path("text").asText("");
                if (t.hasNonNull("blip_caption")) {
                    text = text + " [shares " + t.get("blip_caption").asText() + "]";
                }
                String id = t.path("dia_id").asText();
                ids.add(id);
                list.add(new LocomoConversation.Turn(id, t.path("speaker").asText(), text));
            }
            sessions.add(new LocomoConversation.Session(n, at, list));
        }
        List<LocomoConversation.Question> questions = new ArrayList<>();
        int skipped = 0;
        for (JsonNode q : root.path("qa")) {
            Set<String> evidence = new LinkedHashSet<>();
            for (JsonNode e : q.path("evidence")) {
                Matcher m = DIA.matcher(e.asText());
                while (m.find()) {
                    String id = "D" + Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
                    if (ids.contains(id)) {
                        evidence.add(id);
                    }
                }
            }
            if (evidence.isEmpty()) {
                skipped++;
                continue;
            }
            questions.add(new LocomoConversation.Question(q.path("question").asText(), q.path("category").asInt(),
                    List.copyOf(evidence)));
        }
        String name = root.path("sample_id").asText(file.getFileName().toString().replaceFirst("\\.json$", ""));
        return new LocomoConversation(name, conv.path("speaker_a").asText(), conv.path("speaker_b").asText(),
                sessions, questions, skipped);
    }
}
