package dev.canopy.engine.llama;

import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.WorkerLostException;

import java.util.List;
import java.util.function.Supplier;

/**
 * Watches the workers a model's layers run on. With Canopy's patch on ggml-rpc (decision 0185) a
 * worker that goes away fails the step instead of ending the process: the decode returns an error, or,
 * when the worker went away after its part was sent, the step completes with zeros in place of its
 * results. {@link #check} after each synchronized step turns both into a {@link WorkerLostException}
 * naming the worker, before anything of that step is used.
 *
 * @param rpc     ggml's RPC backend
 * @param workers the model's workers, as connected
 */
record WorkerWatch(RpcBackend rpc, List<RpcEndpoint> workers) {
    /** A watch that never reports (a model on this computer only). */
    static final WorkerWatch NONE = new WorkerWatch(null, List.of());

    WorkerWatch {
        workers = List.copyOf(workers);
    }

    /** Throws {@link WorkerLostException} when one of this model's workers was lost. */
    void check() {
        if (workers.isEmpty()) return;
        List<RpcEndpoint> lost = rpc.lostWorkers();
        for (RpcEndpoint w : workers) {
            if (lost.contains(w)) throw new WorkerLostException(w);
        }
    }

    /** {@code ctx.decode(...)}: a failed decode caused by a lost worker becomes its {@link WorkerLostException}. */
    void decode(Runnable decode) {
        try {
            decode.run();
        } catch (LlamaContext.DecodeException e) {
            check();
            throw e;
        }
    }

    /** Runs {@code step} (which reads a synchronized result, e.g. logits) and checks the workers before it is used. */
    <T> T checked(Supplier<T> step) {
        T result;
        try {
            result = step.get();
        } catch (LlamaContext.DecodeException e) {
            check();
            throw e;
        }
        check();
        return result;
    }
}
