package dev.canopy.engine.runtime;

import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.WorkerLostException;

import java.util.List;
import java.util.Optional;

/**
 * The workers some of a model's layers run on, watched as libllama's sessions watch theirs: with
 * Canopy's patch on ggml-rpc (decision 0185) a lost worker fails the step or leaves zeros in place of
 * its results, and {@link #check} after each step turns both into a {@link WorkerLostException} naming
 * it before anything of that step is used.
 *
 * @param rpc     ggml's RPC backend, empty when no layer is on another computer
 * @param workers the workers, in layer order
 */
record RemoteWorkers(Optional<RpcBackend> rpc, List<RpcEndpoint> workers) {
    static final RemoteWorkers NONE = new RemoteWorkers(Optional.empty(), List.of());

    RemoteWorkers {
        workers = List.copyOf(workers);
    }

    static RemoteWorkers of(List<RpcEndpoint> workers) {
        return workers.isEmpty() ? NONE : new RemoteWorkers(Optional.of(RpcBackend.require()), workers);
    }

    /** Throws {@link WorkerLostException} when one of these workers was lost. */
    void check() {
        if (rpc.isEmpty()) return;
        List<RpcEndpoint> lost = rpc.get().lostWorkers();
        for (RpcEndpoint w : workers) {
            if (lost.contains(w)) throw new WorkerLostException(w);
        }
    }
}
