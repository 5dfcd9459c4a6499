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
 */
public record ServingProperties(String modality, String tags, String signature,
    String inputName, String outputName, String embeddingName, String synsetFileName,
    ImageInput image, AudioInput audio, TextInput text) {

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

  /** Images: resized to width x height, grey or RGB, scaled to [0, 1], optionally inverted. */
  public record ImageInput(int width, int height, boolean grayscale, boolean invert) {
    public static final ImageInput DEFAULT = new ImageInput(28, 28, true, false);
  }

  /**
   * Audio: {@code logMel} feeds Kinfer's log-mel frames of a centred 1 s clip; otherwise
   * {@code samples} raw samples at {@code sampleRate}.
   */
  public record AudioInput(int sampleRate, int samples, boolean logMel) {
    public static final AudioInput DEFAULT = new AudioInput(16_000, 16_000, false);
  }

  /** Text: the Hugging Face tokenizer file, padded and truncated to {@code maxLength} ids. */
  public record TextInput(String tokenizer, int maxLength) {
    public static final TextInput DEFAULT = new TextInput("tokenizer.json", 32);
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
    String features = in.string(K_FEATURES, "raw");
    if (!features.equals("raw") && !features.equals("logmel")) {
      throw in.error(K_FEATURES, features, "use raw or logmel");
    }
    int sampleRate = in.positive(K_SAMPLE_RATE, AudioInput.DEFAULT.sampleRate());
    return new ServingProperties(modality,
        in.string(K_TAGS, "serve"),
        in.string(K_SIGNATURE, "serving_default"),
        in.required(K_INPUT),
        in.required(K_OUTPUT),
        in.string(K_EMBEDDING, null),
        in.string(K_SYNSET, "synset.txt"),
        new ImageInput(in.positive(K_WIDTH, ImageInput.DEFAULT.width()),
            in.positive(K_HEIGHT, ImageInput.DEFAULT.height()),
            in.bool(K_GRAYSCALE, ImageInput.DEFAULT.grayscale()),
            in.bool(K_INVERT, ImageInput.DEFAULT.invert())),
        new AudioInput(sampleRate, in.positive(K_SAMPLES, sampleRate), features.equals("logmel")),
        new TextInput(in.string(K_TOKENIZER, TextInput.DEFAULT.tokenizer()),
            in.positive(K_MAX_LENGTH, TextInput.DEFAULT.maxLength())));
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
        map.put(K_GRAYSCALE, String.valueOf(image.grayscale()));
        map.put(K_INVERT, String.valueOf(image.invert()));
      }
      case "audio" -> {
        if (audio.logMel()) {
          map.put(K_FEATURES, "logmel");
          map.put(K_SAMPLE_RATE, String.valueOf(audio.sampleRate()));
        } else {
          map.put(K_SAMPLE_RATE, String.valueOf(audio.sampleRate()));
          map.put(K_SAMPLES, String.valueOf(audio.samples()));
        }
      }
      default -> {
        map.put(K_MAX_LENGTH, String.valueOf(text.maxLength()));
        map.put(K_TOKENIZER, text.tokenizer());
      }
    }
    map.put(K_SYNSET, synsetFileName);
    return map;
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

    ModelFolderException error(String key, String value, String advice) {
      return new ModelFolderException(source + " says " + key + "=" + value + "; " + advice);
    }
  }
}
