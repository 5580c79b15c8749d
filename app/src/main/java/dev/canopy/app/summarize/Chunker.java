package dev.canopy.app.summarize;

import dev.canopy.app.documents.Block;
import dev.canopy.app.documents.BlockKind;
import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.Locator;
import dev.canopy.engine.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document into chunks of at most {@code budget} tokens of the model's own tokenizer. Cuts fall
 * at section starts when a chunk is already half full, otherwise at paragraph boundaries; a paragraph
 * larger than a chunk is cut between sentences, a sentence larger than a chunk between words. Every
 * chunk is re-counted as a whole, so the budget holds exactly, not by estimate.
 */
public final class Chunker {
    /** Sections of this depth or shallower start a new chunk once the current one is half full. */
    static final int SECTION_DEPTH = 2;
    private static final String PARAGRAPH_JOIN = "\n\n";

    private final Tokenizer tokenizer;
    private final int budget;

    public Chunker(Tokenizer tokenizer, int budgetTokens) {
        if (budgetTokens < 16) throw new IllegalArgumentException("a chunk needs at least 16 tokens, not " + budgetTokens);
        this.tokenizer = tokenizer;
        this.budget = budgetTokens;
    }

    /** A piece that is never cut further: a paragraph, a sentence or a run of words, with where it comes from. */
    private record Unit(String text, int tokens, int from, int to, List<String> headings,
                        boolean newParagraph, boolean sectionStart, boolean sticky, boolean marker) {}

    public List<Chunk> split(Document doc) {
        List<Unit> units = units(doc);
        List<Chunk> chunks = new ArrayList<>();
        int i = 0;
        while (i < units.size()) {
            int j = i + 1, sum = units.get(i).tokens();
            while (j < units.size()) {
                Unit u = units.get(j);
                int cost = u.tokens() + (u.newParagraph() ? 2 : 1);
                if (sum + cost > budget || (u.sectionStart() && sum >= budget / 2)) break;
                sum += cost;
                j++;
            }
            while (j < units.size() && j - i > 1 && units.get(j - 1).sticky()) j--;   // a heading goes with its text
            String text = join(units, i, j);
            int tokens = count(text);
            while (tokens > budget && j - i > 1) {   // the estimate was optimistic: give back the last piece
                j--;
                text = join(units, i, j);
                tokens = count(text);
            }
            if (tokens > budget) throw new IllegalStateException("a piece of " + tokens + " tokens exceeds the chunk budget " + budget);
            chunks.add(chunk(chunks.size(), text, tokens, units.subList(i, j)));
            i = j;
        }
        return chunks;
    }

    private List<Unit> units(Document doc) {
        // Pieces are sized a little under the budget: joining can change the count at the seams.
        int limit = Math.max(8, budget - Math.max(4, budget / 32));
        List<Unit> out = new ArrayList<>();
        int page = 0;
        for (Block b : doc.blocks()) {
            if (doc.locator() == Locator.PAGE && b.from() != page) {
                // A page marker, so the model can see (and cite) where each page starts.
                page = b.from();
                String marker = doc.locator().cite(page, page);
                out.add(new Unit(marker, count(marker), page, page, b.headings(), true, false, true, true));
            }
            if (b.kind() == BlockKind.HEADING) {
                String text = "#".repeat(Math.max(1, b.depth())) + " " + b.text();
                int t = count(text);
                if (t <= limit) out.add(new Unit(text, t, b.from(), b.to(), b.headings(), true, b.depth() <= SECTION_DEPTH, true, false));
                else addParagraph(out, b, b.text(), limit);
                continue;
            }
            addParagraph(out, b, b.text(), limit);
        }
        return out;
    }

    private void addParagraph(List<Unit> out, Block b, String text, int limit) {
        int t = count(text);
        if (t <= limit) {
            out.add(new Unit(text, t, b.from(), b.to(), b.headings(), true, false, false, false));
            return;
        }
        boolean first = true;
        for (String sentence : TextPieces.sentences(text)) {
            int st = count(sentence);
            List<String> pieces = st <= limit ? List.of(sentence) : TextPieces.wordRuns(sentence, limit, this::count);
            for (String p : pieces) {
                int pt = p == sentence ? st : count(p);
                out.add(new Unit(p, pt, b.from(), b.to(), b.headings(), first, false, false, false));
                first = false;
            }
        }
    }

    private static String join(List<Unit> units, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            Unit u = units.get(k);
            if (k > from) sb.append(u.newParagraph() ? PARAGRAPH_JOIN : " ");
            sb.append(u.text());
        }
        return sb.toString();
    }

    private static Chunk chunk(int index, String text, int tokens, List<Unit> units) {
        List<Unit> body = units.stream().filter(u -> !u.marker()).toList();
        if (body.isEmpty()) body = units;
        int from = body.stream().mapToInt(Unit::from).min().orElseThrow();
        int to = body.stream().mapToInt(Unit::to).max().orElseThrow();
        return new Chunk(index, text, tokens, new SourceSpan(from, to), body.getFirst().headings(), sources(body));
    }

    /** The chunk's text per place (page, paragraph lines or section): what its summary's statements are matched against. */
    private static List<Citations.Statement> sources(List<Unit> body) {
        List<Citations.Statement> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        SourceSpan span = null;
        for (Unit u : body) {
            SourceSpan here = new SourceSpan(u.from(), u.to());
            if (span != null && !span.equals(here)) {
                out.add(new Citations.Statement(text.toString(), span));
                text.setLength(0);
            }
            span = here;
            if (!text.isEmpty()) text.append(' ');
            text.append(u.text());
        }
        if (span != null) out.add(new Citations.Statement(text.toString(), span));
        return out;
    }

    private int count(String text) {
        return tokenizer.count(text);
    }
}
