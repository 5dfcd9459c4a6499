package io.kinfer.decode;

/**
 * What decoders accept: the largest image by the size its header declares, and where audio and
 * text are cut off (not refused: the models read far less). Decoded images are read subsampled
 * to at most {@link #DECODED_IMAGE_PIXELS}, so a buffered record never holds a full-size photo.
 */
public record InputLimits(long maxImagePixels, int maxAudioSeconds, int maxTextChars) {

  /** About a megapixel: well above any shipped or common model input (224x224 to 512x512). */
  public static final long DECODED_IMAGE_PIXELS = 1 << 20;

  public static final InputLimits DEFAULT = new InputLimits(25_000_000, 60, 10_000);
}
