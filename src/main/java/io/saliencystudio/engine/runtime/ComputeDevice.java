package io.saliencystudio.engine.runtime;

import ai.djl.Device;

/**
 * Where a model runs. A plain enum so that callers outside the runtime (the app's device picker) need no DJL type.
 * {@link #GPU} means the first CUDA device and works only with the CUDA flavour of the native library.
 */
public enum ComputeDevice {
    CPU("CPU"),
    GPU("GPU");

    private final String label;

    ComputeDevice(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    Device toDjl() {
        return this == GPU ? Device.gpu() : Device.cpu();
    }
}
