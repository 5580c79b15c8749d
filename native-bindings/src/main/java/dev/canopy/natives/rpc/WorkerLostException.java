package dev.canopy.natives.rpc;

/**
 * A worker stopped answering while a model ran on it (it was stopped, crashed, or its computer or the
 * network went away). The step that ran on it is lost; the model must be loaded again without it.
 * The message names it.
 */
public final class WorkerLostException extends RuntimeException {
    private final RpcEndpoint worker;

    public WorkerLostException(RpcEndpoint worker) {
        super("worker " + worker + " was lost mid-answer: the connection closed or it stopped answering (did `canopy worker` stop or hang there, or its computer?)");
        this.worker = worker;
    }

    public RpcEndpoint worker() { return worker; }
}
