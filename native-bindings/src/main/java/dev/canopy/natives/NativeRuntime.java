package dev.canopy.natives;

import dev.canopy.natives.ffi.ggml_backend_dev_props;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The process-wide native runtime: loads the libraries once, routes their logging, loads ggml's
 * backends (the best CPU variant for this processor, and GPU backends present in the folder) and
 * initialises llama. Everything that calls the bindings goes through {@link #get()} first.
 */
public final class NativeRuntime {
    private static volatile NativeRuntime instance;

    private final NativeLibraryLoader.Loaded loaded;

    private NativeRuntime(NativeLibraryLoader.Loaded loaded) {
        this.loaded = loaded;
    }

    /** Loads and initialises on first use; throws {@link NativeLibraryException} when that fails. */
    public static NativeRuntime get() {
        NativeRuntime r = instance;
        if (r != null) return r;
        synchronized (NativeRuntime.class) {
            if (instance == null) instance = init(NativeLibraryLoader.forCurrentProcess().load());
            return instance;
        }
    }

    private static NativeRuntime init(NativeLibraryLoader.Loaded loaded) {
        NativeLog.install();
        try (Arena arena = Arena.ofConfined()) {
            llama_h.ggml_backend_load_all_from_path(arena.allocateFrom(loaded.directory().toString()));
        }
        if (llama_h.ggml_backend_dev_count() == 0) {
            throw new NativeLibraryException("ggml found no compute backend in " + loaded.directory()
                    + " (no libggml-cpu-*.so variant could be loaded for this processor)" + NativeLog.drainAsSuffix());
        }
        llama_h.llama_backend_init();
        return new NativeRuntime(loaded);
    }

    /** Where the libraries were loaded from. */
    public NativeLibraryLoader.Loaded libraries() {
        return loaded;
    }

    /** Every device the loaded backends offer, CPU included. */
    public List<BackendDevice> devices() {
        List<BackendDevice> out = new ArrayList<>();
        long n = llama_h.ggml_backend_dev_count();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment props = ggml_backend_dev_props.allocate(arena);
            for (int i = 0; i < n; i++) {
                MemorySegment dev = llama_h.ggml_backend_dev_get(i);
                llama_h.ggml_backend_dev_get_props(dev, props);
                out.add(new BackendDevice(i,
                        cString(ggml_backend_dev_props.name(props)),
                        cString(ggml_backend_dev_props.description(props)),
                        kind(ggml_backend_dev_props.type(props)),
                        ggml_backend_dev_props.memory_free(props),
                        ggml_backend_dev_props.memory_total(props)));
            }
        }
        return out;
    }

    /** llama.cpp's own summary of CPU features and backends. */
    public String systemInfo() {
        return cString(llama_h.llama_print_system_info());
    }

    private static BackendDevice.Kind kind(int type) {
        if (type == llama_h.GGML_BACKEND_DEVICE_TYPE_CPU()) return BackendDevice.Kind.CPU;
        if (type == llama_h.GGML_BACKEND_DEVICE_TYPE_GPU()) return BackendDevice.Kind.GPU;
        if (type == llama_h.GGML_BACKEND_DEVICE_TYPE_IGPU()) return BackendDevice.Kind.IGPU;
        if (type == llama_h.GGML_BACKEND_DEVICE_TYPE_ACCEL()) return BackendDevice.Kind.ACCEL;
        return BackendDevice.Kind.UNKNOWN;
    }

    /** Reads a NUL-terminated C string from a borrowed pointer ("" for NULL). */
    public static String cString(MemorySegment p) {
        return p == null || p.equals(MemorySegment.NULL) ? "" : p.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
