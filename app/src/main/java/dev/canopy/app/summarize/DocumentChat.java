package dev.canopy.app.summarize;

import dev.canopy.engine.Tokenizer;
import dev.canopy.natives.llama.ChatMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The start of a chat about a summarized document: one system message holding the summary and the part
 * summaries, with their citations. The message is the same for every question, so a chat session keeps
 * its KV and each follow-up prefills only the new question (the session reuses the longest prefix it
 * holds). Keeping that KV across app restarts is the KV store's job, once it persists sessions.
 */
public final class DocumentChat {
    private DocumentChat() {}

    /** The system message, at most {@code budgetTokens} long: the summary first, then as many part summaries as fit. */
    public static List<ChatMessage> primer(SummaryResult r, Tokenizer tok, int budgetTokens) {
        var loc = r.document().locator();
        StringBuilder sb = new StringBuilder("You answer questions about the document \"" + r.document().title()
                + "\". Below are its summary and summaries of its parts, each statement followed by the " + loc.noun()
                + " it comes from in square brackets. Answer only from them and cite the " + loc.noun() + " like "
                + loc.cite(3, 5) + ". If the answer is not there, say so and suggest which " + loc.noun() + " to read.\n\n"
                + "Summary:\n" + r.text().strip() + "\n\nParts:");
        List<String> parts = new ArrayList<>();
        for (Summary s : r.chunkSummaries()) parts.add("\n" + s.span().cite(loc) + " " + s.text().strip());
        int used = tok.count(sb.toString());
        for (String p : parts) {
            int t = tok.count(p);
            if (used + t > budgetTokens) break;
            sb.append(p);
            used += t;
        }
        return List.of(ChatMessage.system(sb.toString()));
    }
}
