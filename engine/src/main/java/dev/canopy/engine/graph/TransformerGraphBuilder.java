package dev.canopy.engine.graph;

import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.AttentionPath;
import dev.canopy.engine.sparse.AttentionShape;
import dev.canopy.engine.sparse.SelectionInputs;
import dev.canopy.engine.sparse.SparseAttentionBuilder;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.ggml.GgmlContext;

import java.lang.foreign.MemorySegment;

import static dev.canopy.engine.graph.Blocks.cb;
import static dev.canopy.natives.ffi.llama_h.*;

/**
 * Builds the decoder forward graph of llama, qwen2, qwen3, phi3 ({@link LlamaLayers}) and gemma2,
 * gemma3 ({@link GemmaLayers}) for one {@link GraphShape}, like llama.cpp's src/models/*.cpp. Building is separate from running: the graph
 * holds no input values, so one graph serves every chunk of its shape with only the inputs
 * re-bound. K and V are written into the cache through an index tensor (ggml_set_rows), so where
 * a chunk lands is an input too.
 *
 * <p>Attention is dense, or sparse ({@link SparseAttentionSettings}: dhsa, window, topk) for graphs
 * of one query block (outputs = 1: a prefill chunk or one decoded token) whose window is larger
 * than the budget; the key selection then runs inside the graph, per layer, with no host round trip.
 */
public final class TransformerGraphBuilder {
    private final ModelHparams hp;
    private final ModelWeights weights; // borrowed
    private final KvCache kv;           // borrowed
    private final SparseAttentionSettings attention;

    public TransformerGraphBuilder(ModelHparams hp, ModelWeights weights, KvCache kv) {
        this(hp, weights, kv, SparseAttentionSettings.dense());
    }

    public TransformerGraphBuilder(ModelHparams hp, ModelWeights weights, KvCache kv, SparseAttentionSettings attention) {
        this.hp = hp;
        this.weights = weights;
        this.kv = kv;
        this.attention = attention;
    }

    /**
     * The most tensors (nodes and leaves) one of this builder's graphs holds (generous: ~40 per
     * layer dense, ~120 sparse).
     */
    public long graphCapacity() {
        return Math.max(1024, (attention.mode().isSparse() ? 160L : 64L) * hp.layers() + 256);
    }

    /**
     * The attention a graph is built with: sparse only for one query block of a cache read from
     * cell 0, and never on {@link AttentionPath#EVERY_KEY}.
     */
    private SparseAttentionSettings attentionFor(GraphShape shape, AttentionPath path) {
        boolean selects = path == AttentionPath.AS_CONFIGURED && shape.outputs() == 1 && !shape.slots().sliced();
        return selects ? attention : attention.withMode(AttentionMode.DENSE);
    }

    public ForwardGraph build(GraphShape shape) {
        return build(shape, AttentionPath.AS_CONFIGURED);
    }

    /** The graph of {@code shape} whose attention takes {@code path}. */
    public ForwardGraph build(GraphShape shape, AttentionPath path) {
        KvSlots slots = shape.slots();
        int lastCell = slots.firstCell(slots.streams() - 1) + shape.window();
        if (lastCell > kv.cells()) throw new IllegalArgumentException("window " + shape.window() + " of " + slots + " > cache " + kv.cells());
        GgmlContext nodes = GgmlContext.metadata(graphCapacity(), graphCapacity());
        try {
            MemorySegment ctx0 = nodes.handle();
            MemorySegment gf = ggml_new_graph_custom(ctx0, graphCapacity(), false);
            AttentionShape attShape = new AttentionShape(hp.headDim(), hp.heads(), hp.kvHeads(), shape.tokens(),
                    shape.window(), hp.kqScale());
            int swaWindow = kv.swaRing() == null ? shape.window()
                    : slots.sliced() ? Math.min(shape.window(), kv.swaRing().cellsPerSlot())    // of each slot's ring
                    : kv.swaRing().window(shape.window());
            SwaInputs swa = !hp.variant().anySwa() ? SwaInputs.NONE : kv.swaRing() == null ? SwaInputs.MASK : SwaInputs.RING;
            GraphInputs in = inputs(ctx0, shape, SelectionInputs.create(ctx0, attentionFor(shape, path), attShape), swa, swaWindow);
            SparseAttentionBuilder sparse = in.sparse() ? new SparseAttentionBuilder(ctx0, attShape, in.selection(), null) : null;
            Blocks b = new Blocks(ctx0, hp);
            KvAttention att = new KvAttention(ctx0, gf, hp, kv, in, sparse, b, shape, swaWindow);

            MemorySegment inpL = cb(ggml_get_rows(ctx0, weights.tokenEmbd(), in.tokens()), "inp_embd", -1); // [embedding, T]
            MemorySegment cur = switch (hp.arch().layout()) {                                 // [embedding, outputs]
                case LLAMA -> LlamaLayers.build(ctx0, hp, weights, b, att, in, inpL);
                case GEMMA -> GemmaLayers.build(ctx0, hp, weights, b, att, in, inpL);
            };
            cur = b.rmsNorm(cur, weights.outputNorm(), "result_norm", -1);                    // [embedding, outputs]
            MemorySegment logits = cb(ggml_mul_mat(ctx0, weights.output(), cur), "result_output", -1); // [vocab, outputs]
            float cap = hp.variant().finalSoftcap();
            if (cap != 0f) logits = b.softcap(logits, cap, "result_output_capped", -1);       // gemma2, some gemma3
            ggml_set_output(logits);
            ggml_build_forward_expand(gf, logits);
            return new ForwardGraph(shape, nodes, gf, in, logits, sparse);
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /** The inputs the sliding-window layers of a model read besides the full-context ones. */
    private enum SwaInputs {
        /** No layer slides. */
        NONE,
        /** Sliding-window layers keep the context's cells: only a mask of their own. */
        MASK,
        /** Sliding-window layers keep a ring of swaWindow-or-more cells: its rows and mask. */
        RING
    }

    private static GraphInputs inputs(MemorySegment ctx0, GraphShape s, SelectionInputs selection, SwaInputs swa, int swaWindow) {
        MemorySegment tokens = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), s.tokens()), "inp_tokens", -1));
        MemorySegment pos = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), s.tokens()), "inp_pos", -1));
        MemorySegment rows = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I64(), s.tokens()), "inp_kv_rows", -1));
        MemorySegment mask = selection.mode().isSparse() ? null                                            // F16 [window, T]
                : input(cb(maskTensor(ctx0, s, s.window()), "inp_kq_mask", -1));
        MemorySegment swaRows = swa != SwaInputs.RING ? null
                : input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I64(), s.tokens()), "inp_kv_rows_swa", -1)); // I64 [T]
        MemorySegment swaMask = mask == null || swa == SwaInputs.NONE ? null                                                // F16 [swaWindow, T]
                : input(cb(maskTensor(ctx0, s, swaWindow), "inp_kq_mask_swa", -1));
        MemorySegment out = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), s.outputs()), "inp_out_ids", -1));
        OutputBlock block = swa != SwaInputs.NONE || !OutputBlock.fits(s) ? null : new OutputBlock(
                input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), OutputBlock.ROWS), "inp_out_block", -1)),   // I32 [ROWS]
                input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), s.outputs()), "inp_out_in_block", -1))); // I32 [outputs]
        return new GraphInputs(tokens, pos, rows, mask, swaRows, swaMask, out, block, selection);
    }

    /**
     * A mask over {@code window} cells: F16 [window, T], or F16 [window, T/streams, 1, streams] (the
     * same bytes) when the graph reads several slots, each stream's rows over their own slot.
     */
    private static MemorySegment maskTensor(MemorySegment ctx0, GraphShape s, int window) {
        int streams = s.slots().streams();
        return streams == 1 ? ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), window, s.tokens())
                : ggml_new_tensor_4d(ctx0, GGML_TYPE_F16(), window, s.tokensPerStream(), 1, streams);
    }

    private static MemorySegment input(MemorySegment t) {
        ggml_set_input(t);
        return t;
    }
}
