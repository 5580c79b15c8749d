package dev.canopy.natives.rpc;

/** A worker could not be used: it is down, refused, timed out or speaks another protocol. The message names it. */
public final class RpcWorkerException extends RuntimeException {
    private final RpcEndpoint worker;

    public RpcWorkerException(RpcEndpoint worker, String message) {
        super(message);
        this.worker = worker;
    }

    public RpcEndpoint worker() { return worker; }
}
