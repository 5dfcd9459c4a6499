package io.kinfer.models;


import io.kinfer.models.ModelFolder.ModelFolderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model folder's {@code serving.properties}, parsed once into typed fields. The key names
 * live here and nowhere else: the service reads this record, the trainer writes it.
 *
 * @param modality image, audio or text: which kind of event the model scores
 * @param tags the SavedModel tag set ({@code option.Tags})
 * @param signature the signature to serve ({@code option.SignatureDefKey})
 * @param inputName the signature input the translator fills
 * @param outputName the signature output holding one probability per label
 * @param embeddingName an optional signature output copied into results as the embedding; null
 *     when the model has none
 * @param synsetFileName the labels file, one label per line in output order
 * @param image how images become the model's input (used when modality is image)
 * @param audio how clips become the model's input (used when modality is audio)
 * @param text how text becomes the model's input (used when modality is text)
 * @param scores how the scores output becomes one score per label
 */
public record ServingProperties(String modality, String tags, String signature,
    String inputName, String outputName, String embeddingName, String synsetFileName,
    ImageInput image, AudioInput audio, TextInput text, ScoresOutput scores) {

  public ServingProperties(String modality, String tags, String signature, String inputName,
      String outputName, String embeddingName, String synsetFileName, ImageInput image,
      AudioInput audio, TextInput text) {
    this(modality, tags, signature, inputName, outputName, embeddingName, synsetFileName, image,
        audio, text, ScoresOutput.DEFAULT);
  }

  public static final String FILE = "serving.properties";
  static final String ENGINE = "TensorFlow";
  static final List<String> MODALITIES = List.of("image", "audio", "text");

  // The keys: DJL's own (engine, option.*, synsetFileName) and the translator's arguments.
  private static final String K_ENGINE = "engine";
  private static final String K_TAGS = "option.Tags";
  private static final String K_SIGNATURE = "option.SignatureDefKey";
  private static final String K_MODALITY = "modality";
  private static final String K_INPUT = "inputName";
  private static final String K_OUTPUT = "outputName";
  private static final String K_EMBEDDING = "embeddingName";
  private static final String K_SYNSET = "synsetFileName";
  private static final String K_WIDTH = "width";
  private static final String K_HEIGHT = "height";
  private static final String K_GRAYSCALE = "grayscale";
  private static final String K_INVERT = "invert";
  private static final String K_FEATURES = "features";
  private static final String K_SAMPLE_RATE = "sampleRate";
  private static final String K_SAMPLES = "samples";
  private static final String K_TOKENIZER = "tokenizer";
  private static final String K_MAX_LENGTH = "maxLength";
  private static final String K_CHANNELS = "channels";
  private static final String K_LAYOUT = "layout";
  private static final String K_DTYPE = "dtype";
  private static final String K_RANGE = "range";
  private static final String K_MEAN = "mean";
  private static final String K_STD = "std";
  private static final String K_RESIZE = "resize";
  private static final String K_ATTENTION_MASK = "attentionMaskName";
  private static final String K_TOKEN_TYPES = "tokenTypeIdsName";
  private static final String K_TRUNCATION = "truncation";
  private static final String K_ACTIVATION = "activation";
  private static final String K_THRESHOLD = "threshold";
  private static final String K_POOLING = "pooling";
  private static final String K_SEGMENTS = "segments";
  private static final String K_FRAME_HOP = "frameHop";

  /**
   * Images: resized to {@code width x height} ({@code resize}: {@code stretch}, or keeping the
   * aspect ratio, {@code crop} to the centre or {@code pad} with black); {@code channels}
   * {@code grey}, {@code rgb} or {@code bgr}; values 0–255 mapped linearly onto {@code range}
   * (e.g. [0, 1], [-1, 1], [0, 255]), then {@code (v - mean[c]) / std[c]} per channel;
   * optionally inverted (before the mapping); laid out {@code nhwc} or {@code nchw}; fed as
   * {@code float32}, or as the raw 0–255 values in {@code uint8} or {@code int32}.
   */
  public record ImageInput(int width, int height, String channels, String layout, String dtype,
      List<Float> range, List<Float> mean, List<Float> std, String resize, boolean invert) {

    public static final List<String> CHANNELS = List.of("grey", "rgb", "bgr");
    public static final List<String> LAYOUTS = List.of("nhwc", "nchw");
    public static final List<String> DTYPES = List.of("float32", "uint8", "int32");
    public static final List<String> RESIZES = List.of("stretch", "crop", "pad");
    public static final ImageInput DEFAULT = new ImageInput(28, 28, true, false);

    /** Kinfer's own models: HxWxC float32 in [0, 1], stretched. */
    public ImageInput(int width, int height, boolean grayscale, boolean invert) {
      this(width, height, grayscale ? "grey" : "rgb", "nhwc", "float32", List.of(0f, 1f),
          List.of(0f), List.of(1f), "stretch", invert);
    }

    public ImageInput {
      range = List.copyOf(range);
      mean = List.copyOf(mean);
      std = List.copyOf(std);
    }

    public boolean grayscale() {
      return channels.equals("grey");
    }

    public int channelCount() {
      return grayscale() ? 1 : 3;
    }

    /** True for Kinfer's own convention: float32 in [0, 1], no mean or std, stretched. */
    boolean plain() {
      return layout.equals("nhwc") && dtype.equals("float32") && range.equals(List.of(0f, 1f))
          && mean.stream().allMatch(m -> m == 0f) && std.stream().allMatch(d -> d == 1f)
          && resize.equals("stretch");
    }
  }

  /**
   * Audio: {@code features=raw} feeds {@code samples} samples at {@code sampleRate};
   * {@code logmel} Kinfer's log-mel frames of a centred 1 s clip; {@code waveform} the whole
   * clip at {@code sampleRate}, one clip per call, to a model that scores it frame by frame
   * (like YAMNet): the frames' scores are pooled ({@code mean} or {@code max}) into one score
   * per label and, with {@code segments=true}, each frame's best label is kept in the result,
   * frames starting {@code frameHop} seconds apart.
   */
  public record AudioInput(int sampleRate, int samples, String features, String pooling,
      boolean segments, double frameHop) {

    public static final List<String> FEATURES = List.of("raw", "logmel", "waveform");
    public static final List<String> POOLINGS = List.of("mean", "max");
    public static final AudioInput DEFAULT = new AudioInput(16_000, 16_000, false);

    public AudioInput(int sampleRate, int samples, boolean logMel) {
      this(sampleRate, samples, logMel ? "logmel" : "raw", "mean", false, 0.48);
    }

    public boolean logMel() {
      return features.equals("logmel");
    }

    public boolean waveform() {
      return features.equals("waveform");
    }
  }

  /**
   * Text: the Hugging Face tokenizer file (its own special tokens and template), padded and
   * truncated to {@code maxLength} ids, cutting the end ({@code truncation=right}) or the start
   * ({@code left}); fed as the input ids and, when named, the attention mask and token type ids,
   * all {@code int64} or all {@code int32}.
   */
  public record TextInput(String tokenizer, int maxLength, String attentionMaskName,
      String tokenTypeIdsName, String dtype, String truncation) {

    public static final List<String> DTYPES = List.of("int64", "int32");
    public static final List<String> TRUNCATIONS = List.of("right", "left");
    public static final TextInput DEFAULT = new TextInput("tokenizer.json", 32);

    public TextInput(String tokenizer, int maxLength) {
      this(tokenizer, maxLength, null, null, "int64", "right");
    }
  }

  /**
   * How the scores output becomes one score per label: {@code none} (it holds probabilities),
   * {@code softmax} (logits of one choice), or {@code sigmoid} (logits of independent labels:
   * every label whose score reaches {@code threshold} is reported).
   */
  public record ScoresOutput(String activation, float threshold) {
    public static final List<String> ACTIVATIONS = List.of("none", "softmax", "sigmoid");
    public static final ScoresOutput DEFAULT = new ScoresOutput("none", 0.5f);

    public boolean multiLabel() {
      return activation.equals("sigmoid");
    }
  }

  /** A new image model folder's properties (DJL's default tags, signature and labels file). */
  public static ServingProperties image(String inputName, String outputName, ImageInput image) {
    return of("image", inputName, outputName, null, image, AudioInput.DEFAULT, TextInput.DEFAULT);
  }

  /** A new audio model folder's properties. */
  public static ServingProperties audio(String inputName, String outputName, AudioInput audio) {
    return of("audio", inputName, outputName, null, ImageInput.DEFAULT, audio, TextInput.DEFAULT);
  }

  /** A new text model folder's properties; {@code embeddingName} may be null. */
  public static ServingProperties text(String inputName, String outputName, String embeddingName,
      TextInput text) {
    return of("text", inputName, outputName, embeddingName, ImageInput.DEFAULT,
        AudioInput.DEFAULT, text);
  }

  private static ServingProperties of(String modality, String inputName, String outputName,
      String embeddingName, ImageInput image, AudioInput audio, TextInput text) {
    return new ServingProperties(modality, "serve", "serving_default", inputName, outputName,
        embeddingName, "synset.txt", image, audio, text);
  }

  /**
   * Parses the values of a serving.properties file (or DJL's arguments map built from one).
   *
   * @param source named in errors, e.g. the file's path
   * @throws ModelFolderException naming the key and what to write instead
   */
  public static ServingProperties parse(Map<String, ?> values, Object source) {
    Reader in = new Reader(values, source);
    String engine = in.string(K_ENGINE, ENGINE);
    if (!engine.equals(ENGINE)) {
      throw in.error(K_ENGINE, engine, "Kinfer serves TensorFlow SavedModels only");
    }
    String modality = in.required(K_MODALITY);
    if (!MODALITIES.contains(modality)) {
      throw in.error(K_MODALITY, modality, "use image, audio or text");
    }
    String features = in.oneOf(K_FEATURES, "raw", AudioInput.FEATURES);
    int sampleRate = in.positive(K_SAMPLE_RATE, AudioInput.DEFAULT.sampleRate());
    boolean image = modality.equals("image");
    return new ServingProperties(modality,
        in.string(K_TAGS, "serve"),
        in.string(K_SIGNATURE, "serving_default"),
        in.required(K_INPUT),
        in.required(K_OUTPUT),
        in.string(K_EMBEDDING, null),
        in.string(K_SYNSET, "synset.txt"),
        image ? imageInput(in) : ImageInput.DEFAULT,
        new AudioInput(sampleRate, in.positive(K_SAMPLES, sampleRate), features,
            in.oneOf(K_POOLING, "mean", AudioInput.POOLINGS), in.bool(K_SEGMENTS, false),
            in.seconds(K_FRAME_HOP, 0.48)),
        image ? TextInput.DEFAULT : new TextInput(
            in.string(K_TOKENIZER, TextInput.DEFAULT.tokenizer()),
            in.positive(K_MAX_LENGTH, TextInput.DEFAULT.maxLength()),
            in.string(K_ATTENTION_MASK, null), in.string(K_TOKEN_TYPES, null),
            modality.equals("text") ? in.oneOf(K_DTYPE, "int64", TextInput.DTYPES) : "int64",
            in.oneOf(K_TRUNCATION, "right", TextInput.TRUNCATIONS)),
        new ScoresOutput(in.oneOf(K_ACTIVATION, "none", ScoresOutput.ACTIVATIONS),
            in.fraction(K_THRESHOLD, ScoresOutput.DEFAULT.threshold())));
  }

  private static ImageInput imageInput(Reader in) {
    String legacy = in.bool(K_GRAYSCALE, true) ? "grey" : "rgb";
    String channels = in.oneOf(K_CHANNELS, legacy, ImageInput.CHANNELS);
    int count = channels.equals("grey") ? 1 : 3;
    List<Float> range = in.floats(K_RANGE, List.of(0f, 1f), 2, 2);
    if (range.get(0).equals(range.get(1))) {
      throw in.error(K_RANGE, in.string(K_RANGE, ""), "write two different numbers, e.g. -1,1");
    }
    List<Float> mean = in.floats(K_MEAN, List.of(0f), 1, count);
    List<Float> std = in.floats(K_STD, List.of(1f), 1, count);
    if (std.stream().anyMatch(d -> d == 0f)) {
      throw in.error(K_STD, in.string(K_STD, ""), "a standard deviation cannot be 0");
    }
    String dtype = in.oneOf(K_DTYPE, "float32", ImageInput.DTYPES);
    if (!dtype.equals("float32") && (in.string(K_RANGE, null) != null
        || in.string(K_MEAN, null) != null || in.string(K_STD, null) != null)) {
      throw in.error(K_DTYPE, dtype, "integer input takes the raw 0-255 values: remove range,"
          + " mean and std, or use dtype=float32");
    }
    return new ImageInput(in.positive(K_WIDTH, ImageInput.DEFAULT.width()),
        in.positive(K_HEIGHT, ImageInput.DEFAULT.height()), channels,
        in.oneOf(K_LAYOUT, "nhwc", ImageInput.LAYOUTS), dtype, range, mean, std,
        in.oneOf(K_RESIZE, "stretch", ImageInput.RESIZES),
        in.bool(K_INVERT, ImageInput.DEFAULT.invert()));
  }

  /** The outputs a translator reads: the scores, then the embedding when there is one. */
  public List<String> outputNames() {
    return embeddingName == null ? List.of(outputName) : List.of(outputName, embeddingName);
  }

  /** The values as DJL's arguments map (every key this record knows, as strings). */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(K_ENGINE, ENGINE);
    map.put(K_TAGS, tags);
    map.put(K_SIGNATURE, signature);
    map.put(K_MODALITY, modality);
    map.put(K_INPUT, inputName);
    map.put(K_OUTPUT, outputName);
    if (embeddingName != null) {
      map.put(K_EMBEDDING, embeddingName);
    }
    switch (modality) {
      case "image" -> {
        map.put(K_WIDTH, String.valueOf(image.width()));
        map.put(K_HEIGHT, String.valueOf(image.height()));
        if (image.channels().equals("bgr")) {
          map.put(K_CHANNELS, image.channels());
        } else {
          map.put(K_GRAYSCALE, String.valueOf(image.grayscale()));
        }
        map.put(K_INVERT, String.valueOf(image.invert()));
        if (!image.plain()) {
          map.put(K_LAYOUT, image.layout());
          map.put(K_DTYPE, image.dtype());
          if (image.dtype().equals("float32")) {
            map.put(K_RANGE, join(image.range()));
            map.put(K_MEAN, join(image.mean()));
            map.put(K_STD, join(image.std()));
          }
          map.put(K_RESIZE, image.resize());
        }
      }
      case "audio" -> {
        if (audio.logMel()) {
          map.put(K_FEATURES, "logmel");
          map.put(K_SAMPLE_RATE, String.valueOf(audio.sampleRate()));
        } else if (audio.waveform()) {
          map.put(K_FEATURES, "waveform");
          map.put(K_SAMPLE_RATE, String.valueOf(audio.sampleRate()));
          map.put(K_POOLING, audio.pooling());
          map.put(K_SEGMENTS, String.valueOf(audio.segments()));
          map.put(K_FRAME_HOP, String.valueOf(audio.frameHop()));
        } else {
          map.put(K_SAMPLE_RATE, String.valueOf(audio.sampleRate()));
          map.put(K_SAMPLES, String.valueOf(audio.samples()));
        }
      }
      default -> {
        map.put(K_MAX_LENGTH, String.valueOf(text.maxLength()));
        map.put(K_TOKENIZER, text.tokenizer());
        putIf(map, K_ATTENTION_MASK, text.attentionMaskName());
        putIf(map, K_TOKEN_TYPES, text.tokenTypeIdsName());
        if (!text.dtype().equals("int64")) {
          map.put(K_DTYPE, text.dtype());
        }
        if (!text.truncation().equals("right")) {
          map.put(K_TRUNCATION, text.truncation());
        }
      }
    }
    if (!scores.activation().equals("none")) {
      map.put(K_ACTIVATION, scores.activation());
      if (scores.multiLabel()) {
        map.put(K_THRESHOLD, String.valueOf(scores.threshold()));
      }
    }
    map.put(K_SYNSET, synsetFileName);
    return map;
  }

  private static void putIf(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static String join(List<Float> values) {
    StringBuilder out = new StringBuilder();
    for (float v : values) {
      out.append(out.length() == 0 ? "" : ",")
          .append(v == Math.rint(v) && Math.abs(v) < 1e6 ? String.valueOf((long) v) : v);
    }
    return out.toString();
  }

  /** The file's text: the keys of {@link #toMap} in that order, with a line saying what it is. */
  public String render() {
    StringBuilder out = new StringBuilder(
        "# Kinfer model folder (see README, bring your own model)\n");
    toMap().forEach((key, value) -> {
      if (key.equals(K_FEATURES)) {
        out.append("""
            # features=logmel: the clip is resampled to 16 kHz, centred on its speech and padded or
            # trimmed to 1 s (io.kinfer.models.features.LogMel.fit), then turned into 98x40 log-mel
            # frames (LogMel.compute), the same code the trainer used.
            """);
      }
      out.append(key).append('=').append(value).append('\n');
    });
    return out.toString();
  }

  /** Typed reads with errors that name the key. */
  private record Reader(Map<String, ?> values, Object source) {

    String string(String key, String fallback) {
      Object value = values.get(key);
      return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }

    String required(String key) {
      String value = string(key, null);
      if (value == null) {
        throw new ModelFolderException(source + " has no " + key + "; add " + key
            + "=... (see README, bring your own model)");
      }
      return value;
    }

    int positive(String key, int fallback) {
      String value = string(key, null);
      if (value == null) {
        return fallback;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed > 0) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error(key, value, "write a positive whole number");
    }

    boolean bool(String key, boolean fallback) {
      String value = string(key, null);
      if (value == null) {
        return fallback;
      }
      if (!value.equals("true") && !value.equals("false")) {
        throw error(key, value, "write true or false");
      }
      return Boolean.parseBoolean(value);
    }

    String oneOf(String key, String fallback, List<String> allowed) {
      String value = string(key, fallback);
      if (!allowed.contains(value)) {
        throw error(key, value, "use " + String.join(", ", allowed.subList(0,
            allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1));
      }
      return value;
    }

    float fraction(String key, float fallback) {
      String value = string(key, null);
      if (value == null) {
        return fallback;
      }
      try {
        float parsed = Float.parseFloat(value);
        if (parsed > 0f && parsed < 1f) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error(key, value, "write a number between 0 and 1, e.g. 0.5");
    }

    double seconds(String key, double fallback) {
      String value = string(key, null);
      if (value == null) {
        return fallback;
      }
      try {
        double parsed = Double.parseDouble(value);
        if (parsed > 0 && parsed < 3600) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error(key, value, "write a duration in seconds, e.g. 0.48");
    }

    /** A comma-separated list of {@code min}..{@code max} numbers. */
    List<Float> floats(String key, List<Float> fallback, int min, int max) {
      String value = string(key, null);
      if (value == null) {
        return fallback;
      }
      List<Float> parsed = new java.util.ArrayList<>();
      try {
        for (String part : value.split(",")) {
          float f = Float.parseFloat(part.trim());
          if (!Float.isFinite(f)) {
            throw new NumberFormatException();
          }
          parsed.add(f);
        }
      } catch (NumberFormatException e) {
        throw error(key, value, "write numbers separated by commas, e.g. 0.485,0.456,0.406");
      }
      if (parsed.size() < min || parsed.size() > max) {
        throw error(key, value, min == max ? "write " + min + " numbers"
            : "write one number, or one per channel (" + max + ")");
      }
      return parsed;
    }

    ModelFolderException error(String key, String value, String advice) {
      return new ModelFolderException(source + " says " + key + "=" + value + "; " + advice);
    }
  }
}
