package org.interphase.inference;

/**
 * How to run a model.
 *
 * @param cuda run on a CUDA device (else CPU)
 * @param deviceId CUDA device, -1 = node-local rank modulo the visible devices
 * @param nodeLocalRank rank among the ranks of this node
 */
public record InferenceSettings(boolean cuda, int deviceId, int nodeLocalRank) {

    /** CPU. */
    public static InferenceSettings cpu() {
        return new InferenceSettings(false, 0, 0);
    }

    /** The CUDA device to use, resolving -1 with CUDA_VISIBLE_DEVICES. */
    public int resolvedDeviceId(String cudaVisibleDevices) {
        if (deviceId >= 0) {
            return deviceId;
        }
        int count = 1;
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            count = (int) cudaVisibleDevices.chars().filter(c -> c == ',').count() + 1;
        }
        return Math.floorMod(nodeLocalRank, count);
    }
}
