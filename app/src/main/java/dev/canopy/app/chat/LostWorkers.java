package dev.canopy.app.chat;

import dev.canopy.engine.EngineOptions;
import dev.canopy.natives.rpc.RpcEndpoint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The workers (other computers) lost mid-answer, left out of later loads until the workers asked
 * for change (decision 0185). Not thread-safe: {@link ModelRuntime} calls it under its lock.
 */
final class LostWorkers {
    private final Set<RpcEndpoint> lost = new LinkedHashSet<>();
    private List<RpcEndpoint> lostAmong = List.of();  // the workers asked for when they were lost

    /** {@code worker} was lost while {@code loaded} (the options of the model that ran on it, or null) were in use. */
    void add(RpcEndpoint worker, EngineOptions loaded) {
        List<RpcEndpoint> asked = loaded == null ? new ArrayList<>() : new ArrayList<>(loaded.workers());
        asked.addAll(lost);
        if (lost.isEmpty()) lostAmong = List.copyOf(asked);
        lost.add(worker);
    }

    /** The workers {@code o} asks for that were lost. */
    List<RpcEndpoint> among(EngineOptions o) {
        forgetWhenOtherWorkers(o);
        return o.workers().stream().filter(lost::contains).toList();
    }

    /** {@code o} less the lost workers. */
    EngineOptions leftOut(EngineOptions o) {
        forgetWhenOtherWorkers(o);
        if (lost.isEmpty()) return o;
        return o.withWorkers(o.workers().stream().filter(w -> !lost.contains(w)).toList());
    }

    /** Another list of workers than the one a worker was lost from: the user changed them, so all are tried again. */
    private void forgetWhenOtherWorkers(EngineOptions o) {
        if (!lost.isEmpty() && !new HashSet<>(o.workers()).equals(new HashSet<>(lostAmong))) {
            lost.clear();
            lostAmong = List.of();
        }
    }
}
