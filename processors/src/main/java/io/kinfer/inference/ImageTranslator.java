package io.kinfer.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.kinfer.models.ServingProperties;
import io.kinfer.models.ServingProperties.ImageInput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decoded image → the model's input as {@code serving.properties} describes it (see
 * {@link ImageInput}): resized (stretched, or centre-cropped or padded keeping the aspect
 * ratio), grey, RGB or BGR, values mapped onto the configured range and normalised per channel,
 * laid out HxWxC or CxHxW, float32 or raw uint8/int32, named after the signature input.
 */
public final class ImageTranslator implements Translator<BufferedImage, Scores>,
    InputPreparation<BufferedImage> {

  private final String inputName;
  private final OutputReader output;
  private final int width;
  private final int height;
  private final int channels;
  private final boolean bgr;
  private final boolean nchw;
  private final String dtype;
  private final String resize;
  private final boolean invert;
  /** Each channel's float32 input value for each 8-bit sample: {@code valueOf[c][sample]}. */
  private final float[][] valueOf;

  ImageTranslator(ServingProperties serving) {
    ImageInput image = serving.image();
    this.inputName = serving.inputName();
    this.output = new OutputReader(serving);
    this.width = image.width();
    this.height = image.height();
    this.channels = image.channelCount();
    this.bgr = image.channels().equals("bgr");
    this.nchw = image.layout().equals("nchw");
    this.dtype = image.dtype();
    this.resize = image.resize();
    this.invert = image.invert();
    float low = image.range().get(0);
    float span = image.range().get(1) - image.range().get(0);
    float[] mean = perChannel(image.mean().stream().mapToDouble(Float::doubleValue).toArray());
    float[] std = perChannel(image.std().stream().mapToDouble(Float::doubleValue).toArray());
    this.valueOf = new float[channels][256];
    for (int c = 0; c < channels; c++) {
      for (int v = 0; v < 256; v++) {
        int raw = invert ? 255 - v : v;
        // v / 255 first: Kinfer's own models ([0, 1], no mean or std) see exactly v / 255.
        valueOf[c][v] = (raw / 255f * span + low - mean[c]) / std[c];
      }
    }
  }

  private float[] perChannel(double[] values) {
    float[] out = new float[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = (float) values[values.length == 1 ? 0 : c];
    }
    return out;
  }

  /**
   * The image in the model's size and type, so a buffered record holds no more than the model
   * reads. Pixels of an image already in that size and type are kept as they are: no
   * resampling, no colour-space conversion, so serving sees exactly the training values.
   */
  @Override
  public BufferedImage prepare(BufferedImage image) {
    int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
    if (image.getWidth() == width && image.getHeight() == height && image.getType() == type) {
      return image;
    }
    BufferedImage scaled = new BufferedImage(width, height, type);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    if (resize.equals("stretch")) {
      g.drawImage(image, 0, 0, width, height, null);
    } else {
      // crop: the shorter side fills the target and the rest is cut evenly; pad: the longer
      // side fits and the rest is black.
      double sx = (double) width / image.getWidth();
      double sy = (double) height / image.getHeight();
      double scale = resize.equals("crop") ? Math.max(sx, sy) : Math.min(sx, sy);
      int w = (int) Math.round(image.getWidth() * scale);
      int h = (int) Math.round(image.getHeight() * scale);
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, width, height);
      g.drawImage(image, (width - w) / 2, (height - h) / 2, w, h, null);
    }
    g.dispose();
    return scaled;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, BufferedImage image) {
    return inputs(ctx, List.of(image), imageShape());
  }

  /**
   * The whole batch as one array of shape (n, image shape), filled in one pass: the same values
   * as stacking each image's own array (DJL's default), without an array per image. Each native
   * array DJL creates costs a native allocation and the strings of its id, on the thread that
   * calls the model: about 15 KB of garbage per image before.
   */
  @Override
  public NDList batchProcessInput(TranslatorContext ctx, List<BufferedImage> images) {
    long[] one = imageShape().getShape();
    long[] dims = new long[one.length + 1];
    dims[0] = images.size();
    System.arraycopy(one, 0, dims, 1, one.length);
    return inputs(ctx, images, new Shape(dims));
  }

  private Shape imageShape() {
    return nchw ? new Shape(channels, height, width) : new Shape(height, width, channels);
  }

  private NDList inputs(TranslatorContext ctx, List<BufferedImage> images, Shape shape) {
    int size = width * height * channels;
    int total = size * images.size();
    float[] values = dtype.equals("float32") ? new float[total] : null;
    byte[] bytes = dtype.equals("uint8") ? new byte[total] : null;
    int[] ints = values == null && bytes == null ? new int[total] : null;
    Object pixels = null;
    int[] samples = new int[width * height];
    for (int i = 0; i < images.size(); i++) {
      // The prepared image's pixels in one copy: bytes for grey, packed 0xRRGGBB ints for RGB.
      pixels = prepare(images.get(i)).getRaster().getDataElements(0, 0, width, height, pixels);
      for (int c = 0; c < channels; c++) {
        channel(pixels, c, samples);
        fill(samples, c, values, bytes, ints, i * size);
      }
    }
    NDManager manager = ctx.getNDManager();
    NDArray array = values != null ? manager.create(values, shape)
        : bytes != null ? manager.create(ByteBuffer.wrap(bytes), shape, DataType.UINT8)
        : manager.create(ints, shape);
    array.setName(inputName);
    return new NDList(array);
  }

  /** The samples (0–255) of the model's channel {@code c}, pixel by pixel, into {@code out}. */
  private void channel(Object pixels, int c, int[] out) {
    if (pixels instanceof byte[] grey) {
      for (int p = 0; p < out.length; p++) {
        out[p] = grey[p] & 0xFF;
      }
    } else {
      int[] rgb = (int[]) pixels;
      // R, G, B from high to low bits; BGR models read them the other way round.
      int shift = 16 - 8 * (bgr ? 2 - c : c);
      for (int p = 0; p < out.length; p++) {
        out[p] = (rgb[p] >> shift) & 0xFF;
      }
    }
  }

  /**
   * One channel of one image into whichever of the arrays is set, from the image's {@code
   * offset}: float32 through the channel's table of values, raw types as they are (inverted
   * when asked).
   */
  private void fill(int[] samples, int c, float[] values, byte[] bytes, int[] ints,
      int offset) {
    int at = offset + (nchw ? c * samples.length : c);
    int step = nchw ? 1 : channels;
    if (values != null) {
      float[] table = valueOf[c];
      for (int p = 0; p < samples.length; p++, at += step) {
        values[at] = table[samples[p]];
      }
      return;
    }
    for (int p = 0; p < samples.length; p++, at += step) {
      int raw = invert ? 255 - samples[p] : samples[p];
      if (bytes != null) {
        bytes[at] = (byte) raw;
      } else {
        ints[at] = raw;
      }
    }
  }

  @Override
  public Scores processOutput(TranslatorContext ctx, NDList list) {
    return output.read(list);
  }

  /** The batch's outputs read once ({@link OutputReader#readBatch}). */
  @Override
  public List<Scores> batchProcessOutput(TranslatorContext ctx, NDList list) throws Exception {
    List<Scores> scores = output.readBatch(list);
    return scores != null ? scores : Translator.super.batchProcessOutput(ctx, list);
  }
}
