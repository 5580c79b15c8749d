package dev.canopy.engine.sparse;

/** Plain-Java (double precision) versions of the in-graph selection scores, for comparison. */
final class SelectionReference {
    private SelectionReference() {}

    /** DHSA query block representation: mean of the valid rows over all heads times sqrt(rows): [hd]. */
    static double[] queryRep(SparseFixture.Data d) {
        AttentionShape s = d.shape();
        int hd = s.headDim(), rows = d.block().rows();
        double[] rep = new double[hd];
        for (int t = 0; t < rows; t++)
            for (int h = 0; h < s.heads(); h++)
                for (int i = 0; i < hd; i++) rep[i] += d.q()[(t * s.heads() + h) * hd + i];
        for (int i = 0; i < hd; i++) rep[i] = rep[i] / s.heads() / rows * Math.sqrt(rows);
        return rep;
    }

    /** DHSA score of every cell: its chunk's (mean key over KV heads and chunk) * sqrt(len) . qrep. */
    static double[] dhsaCellScores(SparseFixture.Data d, ChunkMap map) {
        AttentionShape s = d.shape();
        int hd = s.headDim(), w = s.window();
        double[] qrep = queryRep(d);
        double[] chunkScore = new double[map.chunks()];
        for (int c = 0; c < map.chunks(); c++) {
            int from = map.chunkFirst()[c], to = map.chunkLast()[c], len = to - from + 1;
            double[] rep = new double[hd];
            for (int cell = from; cell <= to; cell++)
                for (int h = 0; h < s.kvHeads(); h++)
                    for (int i = 0; i < hd; i++) rep[i] += d.k()[(cell * s.kvHeads() + h) * hd + i] / s.kvHeads();
            double dot = 0;
            for (int i = 0; i < hd; i++) dot += rep[i] / len * Math.sqrt(len) * qrep[i];
            chunkScore[c] = dot;
        }
        double[] cell = new double[w];
        for (int c = 0; c < w; c++) cell[c] = map.tokenChunk()[c] < map.chunks() ? chunkScore[map.tokenChunk()[c]] : 0;
        return cell;
    }

    /** Quest bound of every key block: sum over channels of max(q*min, q*max), q the group mean query. */
    static double[] questBounds(SparseFixture.Data d, int block) {
        AttentionShape s = d.shape();
        int hd = s.headDim(), kvw = s.kvWidth(), g = s.groupSize(), rows = d.block().rows();
        double[] qg = new double[kvw];
        for (int t = 0; t < rows; t++)
            for (int h = 0; h < s.heads(); h++)
                for (int i = 0; i < hd; i++) qg[(h / g) * hd + i] += d.q()[(t * s.heads() + h) * hd + i] / g / Math.sqrt(rows);
        double[] bound = new double[s.window() / block];
        for (int b = 0; b < bound.length; b++) {
            for (int ch = 0; ch < kvw; ch++) {
                double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                for (int c = b * block; c < (b + 1) * block; c++) {
                    lo = Math.min(lo, d.k()[c * kvw + ch]);
                    hi = Math.max(hi, d.k()[c * kvw + ch]);
                }
                bound[b] += Math.max(qg[ch] * lo, qg[ch] * hi);
            }
        }
        return bound;
    }
}
