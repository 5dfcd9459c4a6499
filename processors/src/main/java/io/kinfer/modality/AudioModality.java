package io.kinfer.modality;

import io.kinfer.pipeline.BadInputException;
import io.kinfer.runtime.AudioClip;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import jakarta.inject.Singleton;

/** WAV files or raw PCM16LE at any common rate; the translator resamples and pads/trims. */
@Singleton
public final class AudioModality implements Modality<AudioEvent, AudioClip> {

  private final AvroSerde<AudioEvent> serde = AvroSerde.of(AudioEvent.class);

  @Override
  public String name() {
    return "audio";
  }

  @Override
  public io.kinfer.schema.Modality schemaValue() {
    return io.kinfer.schema.Modality.AUDIO;
  }

  @Override
  public AvroSerde<AudioEvent> serde() {
    return serde;
  }

  @Override
  public Class<AudioClip> inputType() {
    return AudioClip.class;
  }

  @Override
  public Envelope envelope(AudioEvent event) {
    return event.getEnvelope();
  }

  @Override
  public AudioClip decode(AudioEvent event) {
    byte[] bytes = ImageModality.bytes(event.getAudio());
    if (bytes.length == 0) {
      throw new BadInputException("audio is empty (0 bytes)");
    }
    return switch (event.getEncoding()) {
      case WAV -> WavDecoder.wav(bytes);
      case PCM16LE -> WavDecoder.pcm16(bytes, event.getSampleRate(), event.getChannels());
    };
  }

  @Override
  public AudioClip warmUpInput() {
    return new AudioClip(new float[16_000], 16_000);
  }
}
