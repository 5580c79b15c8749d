package dev.canopy.app.summarize;

import dev.canopy.app.documents.Locator;
import dev.canopy.engine.Tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hierarchy's bookkeeping: how a summary is rendered as input to the level above (with its
 * citations, or compact when that would be too long), which summaries are merged together, and
 * whether a level is small enough for the final pass.
 */
final class Levels {
    private final SummaryPrompts prompts;
    private final Tokenizer tok;
    private final Budgets budgets;
    private final Locator locator;
    private final Map<Summary, Rendered> cache = new HashMap<>();

    /** A summary as prompt text: full (per-statement citations) and compact (one citation in front). */
    record Rendered(String full, int fullTokens, String compact, int compactTokens) {}

    Levels(SummaryPrompts prompts, Tokenizer tok, Budgets budgets, Locator locator) {
        this.prompts = prompts;
        this.tok = tok;
        this.budgets = budgets;
        this.locator = locator;
    }

    Rendered render(Summary s) {
        return cache.computeIfAbsent(s, k -> {
            String full = prompts.render(k);
            String compact = clip(prompts.renderCompact(k), budgets.itemCap() - 2);
            return new Rendered(full, tok.count(full) + 2, compact, tok.count(compact) + 2);
        });
    }

    /** The text of one input: full when it fits the per-item cap, else compact. */
    private String choose(Rendered r) {
        return r.fullTokens() <= budgets.itemCap() ? r.full() : r.compact();
    }

    private int size(Rendered r) {
        return r.fullTokens() <= budgets.itemCap() ? r.fullTokens() : r.compactTokens();
    }

    List<String> rendered(List<Summary> members) {
        return members.stream().map(s -> choose(render(s))).toList();
    }

    List<List<Integer>> groups(List<Summary> inputs) {
        int[] sizes = inputs.stream().mapToInt(s -> size(render(s))).toArray();
        return MergePlan.groups(sizes, budgets.mergeInputs());
    }

    /** Inputs for the final pass: as rendered for merging if that fits, else all compact, else null. */
    List<String> finalInputs(List<Summary> inputs) {
        if (inputs.stream().mapToInt(s -> size(render(s))).sum() <= budgets.finalInputs()) return rendered(inputs);
        if (inputs.stream().mapToInt(s -> render(s).compactTokens()).sum() <= budgets.finalInputs()) {
            return inputs.stream().map(s -> render(s).compact()).toList();
        }
        return null;
    }

    boolean fitsFinal(List<Summary> inputs) {
        return finalInputs(inputs) != null;
    }

    SourceSpan span(List<Summary> members) {
        return SourceSpan.covering(members.stream().map(Summary::span).toList());
    }

    List<Citations.Statement> evidence(List<Summary> members) {
        List<Citations.Statement> out = new ArrayList<>();
        members.forEach(m -> out.addAll(Citations.evidence(m)));
        return out;
    }

    /** A merged summary from the model's answer: every statement gets a valid citation. */
    Summary merged(BatchGenerator.Done d, List<Summary> members, int level) {
        SourceSpan span = span(members);
        String text = Citations.attribute(d.text().strip(), evidence(members), span, locator);
        if (text.isBlank()) text = SummaryPrompts.NO_TEXT + " " + span.cite(locator);
        return new Summary(level, d.index(), text, span, d.status(), d.generatedTokens());
    }

    /** A lone summary moved up a level as it is (its statements cited). */
    Summary carry(Summary s, int level, int index) {
        String text = s.text();
        if (text.isBlank()) text = SummaryPrompts.NO_TEXT + " " + s.span().cite(locator);
        return new Summary(level, index, text, s.span(), s.status(), 0);
    }

    /** Last-resort guard: a compact input longer than its cap is shortened at a word, visibly. */
    private String clip(String text, int cap) {
        if (tok.count(text) <= cap) return text;
        String marker = " […]";
        int lo = 0, hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            int cut = text.lastIndexOf(' ', mid);
            String candidate = (cut > 0 ? text.substring(0, cut) : text.substring(0, mid)) + marker;
            if (tok.count(candidate) <= cap) lo = mid; else hi = mid - 1;
        }
        int cut = text.lastIndexOf(' ', lo);
        return (cut > 0 ? text.substring(0, cut) : text.substring(0, lo)) + marker;
    }
}
