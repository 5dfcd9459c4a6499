package io.kinfer.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import io.kinfer.models.ServingProperties;

/**
 * Decoded image → the model's input: resized to {@code width x height}, grey or RGB, scaled to
 * [0, 1] (optionally inverted), shaped HxWxC and named after the signature input.
 */
public final class ImageTranslator implements Translator<BufferedImage, Scores>,
    InputPreparation<BufferedImage> {

  private final String inputName;
  private final OutputReader output;
  private final int width;
  private final int height;
  private final boolean grayscale;
  private final boolean invert;

  ImageTranslator(ServingProperties serving) {
    this.inputName = serving.inputName();
    this.output = new OutputReader(serving);
    this.width = serving.image().width();
    this.height = serving.image().height();
    this.grayscale = serving.image().grayscale();
    this.invert = serving.image().invert();
  }

  /**
   * The image in the model's size and type, so a buffered record holds no more than the model
   * reads. Pixels of an image already in that size and type are kept as they are: no
   * resampling, no colour-space conversion, so serving sees exactly the training values.
   */
  @Override
  public BufferedImage prepare(BufferedImage image) {
    int type = grayscale ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
    if (image.getWidth() == width && image.getHeight() == height && image.getType() == type) {
      return image;
    }
    BufferedImage scaled = new BufferedImage(width, height, type);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return scaled;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, BufferedImage image) {
    int channels = grayscale ? 1 : 3;
    BufferedImage scaled = prepare(image);
    // One bulk read, row by row with the channels of a pixel together (HxWxC order).
    int[] samples = scaled.getRaster().getPixels(0, 0, width, height, (int[]) null);
    float[] pixels = new float[samples.length];
    for (int i = 0; i < samples.length; i++) {
      float v = samples[i] / 255f;
      pixels[i] = invert ? 1f - v : v;
    }
    NDArray array = ctx.getNDManager().create(pixels, new Shape(height, width, channels));
    array.setName(inputName);
    return new NDList(array);
  }

  @Override
  public Scores processOutput(TranslatorContext ctx, NDList list) {
    return output.read(list);
  }
}
