package dev.canopy.engine.graph;

import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.AttentionShape;
import dev.canopy.engine.sparse.SelectionInputs;
import dev.canopy.engine.sparse.SparseAttentionBuilder;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.engine.weights.LayerWeights;
import dev.canopy.engine.weights.ModelWeights;
import dev.canopy.natives.ggml.GgmlContext;

import java.lang.foreign.MemorySegment;

import static dev.canopy.engine.graph.Blocks.cb;
import static dev.canopy.natives.ffi.llama_h.*;

/**
 * Builds the decoder forward graph of llama / qwen2 / qwen3 (llama.cpp's src/models/llama.cpp,
 * qwen2.cpp, qwen3.cpp) for one {@link GraphShape}. Building is separate from running: the graph
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

    /** Nodes a graph of this model may need (generous: ~40 per layer dense, ~120 sparse). */
    private long maxNodes() {
        return Math.max(1024, (attention.mode().isSparse() ? 160L : 64L) * hp.layers() + 256);
    }

    /** The attention a graph is built with: sparse only for one query block, and never when {@code dense}. */
    private SparseAttentionSettings attentionFor(GraphShape shape, boolean dense) {
        return shape.outputs() == 1 && !dense ? attention : attention.withMode(AttentionMode.DENSE);
    }

    public ForwardGraph build(GraphShape shape) {
        return build(shape, false);
    }

    /** With {@code dense}, the graph attends to every key whatever the settings (the prompt's last chunk). */
    public ForwardGraph build(GraphShape shape, boolean dense) {
        if (shape.window() > kv.cells()) throw new IllegalArgumentException("window " + shape.window() + " > cache " + kv.cells());
        GgmlContext nodes = GgmlContext.metadata(maxNodes(), maxNodes());
        try {
            MemorySegment ctx0 = nodes.handle();
            MemorySegment gf = ggml_new_graph_custom(ctx0, maxNodes(), false);
            AttentionShape attShape = new AttentionShape(hp.headDim(), hp.heads(), hp.kvHeads(), shape.tokens(),
                    shape.window(), hp.kqScale());
            GraphInputs in = inputs(ctx0, shape, SelectionInputs.create(ctx0, attentionFor(shape, dense), attShape));
            SparseAttentionBuilder sparse = in.sparse() ? new SparseAttentionBuilder(ctx0, attShape, in.selection(), null) : null;
            Blocks b = new Blocks(ctx0, hp);
            long n = shape.tokens();

            MemorySegment inpL = cb(ggml_get_rows(ctx0, weights.tokenEmbd(), in.tokens()), "inp_embd", -1); // [embedding, T]
            for (int il = 0; il < hp.layers(); il++) {
                LayerWeights l = weights.layer(il);
                MemorySegment inpSA = inpL;
                MemorySegment cur = b.rmsNorm(inpL, l.attnNorm(), "attn_norm", il);

                MemorySegment[] qkv = b.qkv(l, cur, n, il);
                MemorySegment q = b.rope(qkv[0], in.positions(), l.ropeFreqs(), "Qcur_rope", il);
                MemorySegment k = b.rope(qkv[1], in.positions(), l.ropeFreqs(), "Kcur_rope", il);
                MemorySegment v = qkv[2];
                // the cache writes must run before the attention reads the cache: expand them first
                if (kv.readsQueries()) ggml_set_output(q);                         // the KV tiers select pages with it
                ggml_build_forward_expand(gf, q);
                ggml_build_forward_expand(gf, b.store(kv.values(il), v, in.kvRows(), n, "cache_v_store", il));
                ggml_build_forward_expand(gf, b.store(kv.keys(il), k, in.kvRows(), n, "cache_k_store", il));

                MemorySegment kWin = b.cacheView(kv.keys(il), shape.window(), "cache_k_win", il);
                MemorySegment vWin = b.cacheView(kv.values(il), shape.window(), "cache_v_win", il);
                cur = sparse == null
                        ? b.attention(l, q, kWin, vWin, in.mask(), n, il)                   // [embedding, T]
                        : b.attentionOutput(l, sparse.attention(q, kWin, vWin, il), n, il); // [embedding, T]

                if (il == hp.layers() - 1) {                                        // keep only the output rows
                    cur = cb(ggml_get_rows(ctx0, cur, in.outputIds()), "attn_out_rows", il);     // [embedding, outputs]
                    inpSA = cb(ggml_get_rows(ctx0, inpSA, in.outputIds()), "inp_sa_rows", il);
                }
                MemorySegment ffnInp = cb(ggml_add(ctx0, cur, inpSA), "ffn_inp", il);
                cur = b.rmsNorm(ffnInp, l.ffnNorm(), "ffn_norm", il);
                cur = b.ffn(l, cur, il);
                inpL = cb(ggml_add(ctx0, cur, ffnInp), "l_out", il);
            }
            MemorySegment cur = b.rmsNorm(inpL, weights.outputNorm(), "result_norm", -1);     // [embedding, outputs]
            MemorySegment logits = cb(ggml_mul_mat(ctx0, weights.output(), cur), "result_output", -1); // [vocab, outputs]
            ggml_set_output(logits);
            ggml_build_forward_expand(gf, logits);
            return new ForwardGraph(shape, nodes, gf, in, logits, sparse);
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    private static GraphInputs inputs(MemorySegment ctx0, GraphShape s, SelectionInputs selection) {
        MemorySegment tokens = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), s.tokens()), "inp_tokens", -1));
        MemorySegment pos = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), s.tokens()), "inp_pos", -1));
        MemorySegment rows = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I64(), s.tokens()), "inp_kv_rows", -1));
        MemorySegment mask = selection.mode().isSparse() ? null
                : input(cb(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), s.window(), s.tokens()), "inp_kq_mask", -1));
        MemorySegment out = input(cb(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), s.outputs()), "inp_out_ids", -1));
        return new GraphInputs(tokens, pos, rows, mask, out, selection);
    }

    private static MemorySegment input(MemorySegment t) {
        ggml_set_input(t);
        return t;
    }
}
