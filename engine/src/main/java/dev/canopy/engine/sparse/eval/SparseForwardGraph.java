package dev.canopy.engine.sparse.eval;

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
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.MemorySegment;

import static dev.canopy.natives.ffi.llama_h.*;

/**
 * The llama forward graph of one (rows T, window W) shape with its attention built by
 * {@link SparseAttentionBuilder}: the evaluation harness's stand-in for the engine's
 * TransformerGraphBuilder (same blocks, same names) until the engine calls the sparse builder
 * itself. Owns the ggml context of its nodes.
 */
final class SparseForwardGraph implements AutoCloseable {
    final int rows, window;
    final GgmlContext nodes;          // owned: tensor headers and the cgraph
    final MemorySegment gf;           // borrowed from nodes
    final MemorySegment tokens, positions, kvRows, mask, outIds, logits; // borrowed: inputs (mask null unless dense) and output
    final SelectionInputs selection;
    final SparseAttentionBuilder attention;
    final MemorySegment[] queries;    // borrowed: each layer's Q after RoPE [hd, H, T], kept as outputs for diagnostics

    SparseForwardGraph(ModelHparams hp, ModelWeights w, KvCache kv, SparseAttentionSettings settings, int rows, int window) {
        this.rows = rows;
        this.window = window;
        long maxNodes = 160L * hp.layers() + 256;
        nodes = GgmlContext.metadata(maxNodes, maxNodes);
        MemorySegment ctx0 = nodes.handle();
        gf = ggml_new_graph_custom(ctx0, maxNodes, false);
        tokens = input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), rows), "inp_tokens");
        positions = input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), rows), "inp_pos");
        kvRows = input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I64(), rows), "inp_kv_rows");
        outIds = input(ggml_new_tensor_1d(ctx0, GGML_TYPE_I32(), 1), "inp_out_ids");
        AttentionShape shape = new AttentionShape(hp.headDim(), hp.heads(), hp.kvHeads(), rows, window, hp.kqScale());
        selection = SelectionInputs.create(ctx0, settings, shape);
        mask = selection.mode() == AttentionMode.DENSE
                ? input(ggml_new_tensor_2d(ctx0, GGML_TYPE_F16(), window, rows), "inp_kq_mask") : null;
        SparseAttentionBuilder attn = new SparseAttentionBuilder(ctx0, shape, selection, mask);
        attention = attn;

        queries = new MemorySegment[hp.layers()];
        MemorySegment inpL = cb(ggml_get_rows(ctx0, w.tokenEmbd(), tokens), "inp_embd", -1);               // [E, T]
        for (int il = 0; il < hp.layers(); il++) {
            LayerWeights l = w.layer(il);
            MemorySegment inpSA = inpL;
            MemorySegment cur = rmsNorm(ctx0, hp, inpL, l.attnNorm(), "attn_norm", il);
            MemorySegment q = ggml_reshape_3d(ctx0, linear(ctx0, l.wq(), l.bq(), cur, "Qcur", il), hp.headDim(), hp.heads(), rows);
            MemorySegment k = ggml_reshape_3d(ctx0, linear(ctx0, l.wk(), l.bk(), cur, "Kcur", il), hp.headDim(), hp.kvHeads(), rows);
            MemorySegment v = ggml_reshape_3d(ctx0, linear(ctx0, l.wv(), l.bv(), cur, "Vcur", il), hp.headDim(), hp.kvHeads(), rows);
            if (l.qNorm() != null) q = rmsNorm(ctx0, hp, q, l.qNorm(), "Qcur_normed", il);
            if (l.kNorm() != null) k = rmsNorm(ctx0, hp, k, l.kNorm(), "Kcur_normed", il);
            q = rope(ctx0, hp, q, l.ropeFreqs(), "Qcur_rope", il);                                         // [hd, H, T]
            k = rope(ctx0, hp, k, l.ropeFreqs(), "Kcur_rope", il);                                         // [hd, Hkv, T]
            ggml_set_output(q);
            queries[il] = q;
            ggml_build_forward_expand(gf, q);                              // cache writes before the attention reads
            ggml_build_forward_expand(gf, store(ctx0, hp, kv.values(il), v, "cache_v_store", il));
            ggml_build_forward_expand(gf, store(ctx0, hp, kv.keys(il), k, "cache_k_store", il));
            MemorySegment att = attn.attention(q, view(ctx0, hp, kv.keys(il), "cache_k_win", il),
                    view(ctx0, hp, kv.values(il), "cache_v_win", il), il);                                  // [hd, H, T]
            cur = linear(ctx0, l.wo(), l.bo(), ggml_reshape_2d(ctx0, att, hp.queryWidth(), rows), "attn_out", il); // [E, T]
            if (il == hp.layers() - 1) {
                cur = cb(ggml_get_rows(ctx0, cur, outIds), "attn_out_rows", il);                            // [E, 1]
                inpSA = cb(ggml_get_rows(ctx0, inpSA, outIds), "inp_sa_rows", il);
            }
            MemorySegment ffnInp = cb(ggml_add(ctx0, cur, inpSA), "ffn_inp", il);
            cur = rmsNorm(ctx0, hp, ffnInp, l.ffnNorm(), "ffn_norm", il);
            MemorySegment gate = linear(ctx0, l.gate(), null, cur, "ffn_gate", il);
            MemorySegment up = linear(ctx0, l.up(), null, cur, "ffn_up", il);
            cur = linear(ctx0, l.down(), null, cb(ggml_swiglu_split(ctx0, gate, up), "ffn_swiglu", il), "ffn_out", il);
            inpL = cb(ggml_add(ctx0, cur, ffnInp), "l_out", il);
        }
        MemorySegment cur = rmsNorm(ctx0, hp, inpL, w.outputNorm(), "result_norm", -1);
        logits = cb(ggml_mul_mat(ctx0, w.output(), cur), "result_output", -1);                           // [vocab, 1]
        ggml_set_output(logits);
        ggml_build_forward_expand(gf, logits);
    }

    private static MemorySegment rmsNorm(MemorySegment ctx0, ModelHparams hp, MemorySegment x, MemorySegment weight, String name, int il) {
        return cb(ggml_mul(ctx0, cb(ggml_rms_norm(ctx0, x, hp.rmsEps()), name + "_rms", il), weight), name, il);
    }

    private static MemorySegment linear(MemorySegment ctx0, MemorySegment weight, MemorySegment bias, MemorySegment x, String name, int il) {
        MemorySegment cur = cb(ggml_mul_mat(ctx0, weight, x), name, il);
        return bias == null ? cur : cb(ggml_add(ctx0, cur, bias), name + "_b", il);
    }

    private MemorySegment rope(MemorySegment ctx0, ModelHparams hp, MemorySegment x, MemorySegment freqs, String name, int il) {
        return cb(ggml_rope_ext(ctx0, x, positions, freqs == null ? MemorySegment.NULL : freqs, hp.ropeDims(),
                hp.arch().rope().ggmlMode(), hp.trainContext(), hp.ropeBase(), hp.ropeFreqScale(), 0f, 1f, 32f, 1f), name, il);
    }

    private MemorySegment store(MemorySegment ctx0, ModelHparams hp, MemorySegment cache, MemorySegment cur, String name, int il) {
        return cb(ggml_set_rows(ctx0, cache, ggml_reshape_2d(ctx0, cur, hp.kvWidth(), rows), kvRows), name, il);
    }

    private MemorySegment view(MemorySegment ctx0, ModelHparams hp, MemorySegment cache, String name, int il) {
        int type = Tensors.type(cache);
        return cb(ggml_view_3d(ctx0, cache, hp.headDim(), hp.kvHeads(), window, ggml_row_size(type, hp.headDim()),
                ggml_row_size(type, hp.kvWidth()), 0), name, il);
    }

    private static MemorySegment cb(MemorySegment t, String name, int il) {
        return Tensors.named(t, il < 0 ? name : name + "-" + il);
    }

    private static MemorySegment input(MemorySegment t, String name) {
        ggml_set_input(t);
        return Tensors.named(t, name);
    }

    @Override
    public void close() {
        nodes.close();
    }
}
