package dev.canopy.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * How the offloaded layers are shared between the devices of other computers and this computer's GPU
 * ({@code --tensor-split}, as llama.cpp calls it): one weight per device, in the order the devices are
 * listed (each worker's devices in {@code --rpc} order, then this computer's GPU), or, when empty, each
 * device's free memory. A weight of 0 gives that device no layer.
 *
 * @param weights one non-negative share per device, not all zero; empty = by free memory
 */
public record DeviceShares(List<Double> weights) {
    /** Each device's share is its free memory (the default). */
    public static final DeviceShares BY_FREE_MEMORY = new DeviceShares(List.of());

    public DeviceShares {
        weights = List.copyOf(weights);
        for (double w : weights) {
            if (!Double.isFinite(w) || w < 0) throw new IllegalArgumentException("a device's share must be a number of 0 or more, not " + w);
        }
        if (!weights.isEmpty() && weights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new IllegalArgumentException("at least one device needs a share above 0: " + text(weights));
        }
    }

    /** Parses "3,1" (or "0.75,0.25": only the ratios count). */
    public static DeviceShares parse(String text) {
        List<Double> weights = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                weights.add(Double.parseDouble(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a number (shares are written like 3,1)");
            }
        }
        return new DeviceShares(weights);
    }

    public boolean byFreeMemory() { return weights.isEmpty(); }

    /**
     * The weights to split by over {@code devices} (their labels, in order), whose free memory is
     * {@code freeMemory}: these shares, or the free memory when there are none. Throws when the count
     * does not match, naming the devices in their order.
     */
    public List<Double> over(List<String> devices, List<Double> freeMemory) {
        if (byFreeMemory()) return freeMemory;
        if (weights.size() != devices.size()) {
            throw new IllegalArgumentException("--tensor-split gives " + weights.size() + (weights.size() == 1 ? " share" : " shares") + " for "
                    + devices.size() + (devices.size() == 1 ? " device" : " devices") + " (" + String.join(", ", devices)
                    + "): give one per device, in that order");
        }
        return weights;
    }

    /** For people: "by free memory" or "by shares 3:1". */
    public String describe() {
        return byFreeMemory() ? "by free memory" : "by shares " + text(weights).replace(',', ':');
    }

    private static String text(List<Double> weights) {
        return String.join(",", weights.stream().map(w -> w == Math.rint(w) ? Long.toString(w.longValue()) : w.toString()).toList());
    }
}
