package io.kinfer.decode;

import io.kinfer.decode.BadInputException;
import io.kinfer.decode.AudioClip;
import io.kinfer.schema.Modality;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** WAV files or raw PCM16LE at any common rate; the translator resamples and pads/trims. */
@Singleton
public final class AudioDecoder implements EventDecoder<AudioEvent, AudioClip> {

  private final AvroSerde<AudioEvent> serde = AvroSerde.of(AudioEvent.class);
  private final InputLimits limits;

  public AudioDecoder() {
    this(InputLimits.DEFAULT);
  }

  @Inject
  public AudioDecoder(InputLimits limits) {
    this.limits = limits;
  }

  @Override
  public String name() {
    return "audio";
  }

  @Override
  public Modality modality() {
    return Modality.AUDIO;
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
    byte[] bytes = ImageDecoder.bytes(event.getAudio());
    if (bytes.length == 0) {
      throw new BadInputException("audio is empty (0 bytes)");
    }
    return switch (event.getEncoding()) {
      case WAV -> WavReader.wav(bytes, limits.maxAudioSeconds());
      case PCM16LE -> WavReader.pcm16(bytes, event.getSampleRate(), event.getChannels(),
          limits.maxAudioSeconds());
    };
  }

  @Override
  public AudioClip warmUpInput() {
    return new AudioClip(new float[16_000], 16_000);
  }
}
