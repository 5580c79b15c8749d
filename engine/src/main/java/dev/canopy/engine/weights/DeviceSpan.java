package dev.canopy.engine.weights;

/**
 * A contiguous run of a model's layers on one device: layers {@code first} to {@code end - 1}.
 *
 * @param device where these layers' weights and KV live and where they are computed
 * @param first  the first layer
 * @param end    one past the last layer
 */
public record DeviceSpan(LayerDevice device, int first, int end) {
    public DeviceSpan {
        if (first < 0 || end <= first) throw new IllegalArgumentException("bad layer span " + first + ".." + end);
    }

    public boolean contains(int layer) {
        return layer >= first && layer < end;
    }

    /** "layer 5", "layers 2-4". */
    String describeLayers() {
        return end - first == 1 ? "layer " + first : "layers " + first + "-" + (end - 1);
    }
}
