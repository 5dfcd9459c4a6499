package io.kinfer.pipeline;

import io.kinfer.config.KinferSettings;
import io.kinfer.decode.InputLimits;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The decoders' limits, from {@code kinfer.limits.*}. */
@Factory
class InputLimitsFactory {

  @Singleton
  InputLimits inputLimits(KinferSettings settings) {
    KinferSettings.Limits limits = settings.getLimits();
    return new InputLimits(limits.getMaxImagePixels(), limits.getMaxAudioSeconds(),
        limits.getMaxTextChars());
  }
}
