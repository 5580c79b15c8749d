package dev.canopy.natives.rpc;

import java.util.List;

/**
 * What a worker answered to the handshake.
 *
 * @param worker   where it listens
 * @param protocol its RPC protocol version, e.g. {@code 7.0.0}
 * @param devices  the devices it serves, in its order (each one's free and total bytes)
 */
public record WorkerStatus(RpcEndpoint worker, String protocol, List<RemoteMemory> devices) {
    public WorkerStatus {
        devices = List.copyOf(devices);
    }

    /** One remote device's memory as the worker reports it (a CPU worker reports its RAM). */
    public record RemoteMemory(long free, long total) {}

    public long free() {
        return devices.stream().mapToLong(RemoteMemory::free).sum();
    }
}
