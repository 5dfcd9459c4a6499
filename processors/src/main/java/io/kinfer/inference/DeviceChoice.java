package io.kinfer.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Parses the device setting {@code auto | cpu | gpu | gpu:N} against what the engine has. */
public final class DeviceChoice {

  private DeviceChoice() {}

  /**
   * @throws IllegalArgumentException for an unknown setting or a GPU the engine does not see
   *     (DJL has no fallback: predicting on a missing GPU fails later with "unknown device")
   */
  public static Device resolve(String setting, Engine engine) {
    String value = setting == null ? "auto" : setting.trim().toLowerCase(java.util.Locale.ROOT);
    int gpus = engine.getGpuCount();
    if (value.equals("auto")) {
      return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (value.equals("cpu")) {
      return Device.cpu();
    }
    int index;
    if (value.equals("gpu")) {
      index = 0;
    } else if (value.matches("gpu:\\d+")) {
      index = Integer.parseInt(value.substring(4));
    } else {
      throw new IllegalArgumentException("device '" + setting + "' is not one of auto, cpu, gpu,"
          + " gpu:N");
    }
    if (index >= gpus) {
      throw new IllegalArgumentException("device '" + setting + "' asks for GPU " + index + " but "
          + engine.getEngineName() + " sees " + gpus + " GPU(s); use device auto or cpu, or"
          + " install CUDA 12 + cuDNN 8.9");
    }
    return Device.gpu(index);
  }
}
