package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Committed;
import io.kinfer.Events;
import io.kinfer.SignatureModels;
import io.kinfer.TestModels;
import io.kinfer.TestService;
import io.kinfer.config.KinferSettings;
import io.kinfer.decode.ImageDecoder;
import io.kinfer.decode.TextDecoder;
import io.kinfer.inference.ModelRegistry;
import io.kinfer.models.ModelFolder.ModelFolderException;
import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models shaped like the ones users bring (see {@link SignatureModels}: Keras MobileNetV2, a
 * PyTorch-origin and a Caffe-style export, Hugging Face TF BERT, a multi-label model, TF Hub's
 * YAMNet), served with no code:
 * each configured only by its {@code serving.properties}, each through a running pipeline,
 * each giving the answer its input is known to have; and a configuration that does not fit a
 * signature fails at start naming the key to change.
 */
@Timeout(600)
class BringYourOwnModelTest {

  static final String MOBILENET = """
      modality=image
      inputName=input_1
      outputName=predictions
      width=224
      height=224
      channels=rgb
      range=-1,1
      resize=crop
      """;
  /** torchvision's normalisation, channels first, logits. */
  static final String PYTORCH = """
      modality=image
      inputName=input
      outputName=logits
      width=32
      height=32
      channels=rgb
      layout=nchw
      range=0,1
      mean=0.485,0.456,0.406
      std=0.229,0.224,0.225
      activation=softmax
      """;
  /** Caffe-style (Keras ResNet50): BGR, 0-255, ImageNet means subtracted. */
  static final String CAFFE = """
      modality=image
      inputName=input
      outputName=logits
      width=32
      height=32
      channels=bgr
      layout=nchw
      range=0,255
      mean=103.939,116.779,123.68
      activation=softmax
      """;
  static final String BERT = """
      modality=text
      inputName=input_ids
      attentionMaskName=attention_mask
      tokenTypeIdsName=token_type_ids
      dtype=int32
      maxLength=128
      truncation=left
      tokenizer=tokenizer.json
      outputName=logits
      activation=softmax
      """;
  static final String TAGS = """
      modality=text
      inputName=input_ids
      maxLength=32
      outputName=logits
      activation=sigmoid
      threshold=0.5
      """;

  /** TF Hub's YAMNet: a waveform in, scores per frame out, pooled; segments kept. */
  static final String YAMNET = """
      modality=audio
      inputName=waveform
      outputName=output_0
      embeddingName=output_1
      features=waveform
      sampleRate=16000
      pooling=mean
      segments=true
      frameHop=0.48
      """;

  @TempDir static Path models;

  @BeforeAll
  static void buildModels() throws Exception {
    TestModels.registry().engine(); // TensorFlow's natives, for TF-Java
    SignatureModels.mobileNetV2(models, MOBILENET);
    SignatureModels.channelsFirst(models, "pytorch", PYTORCH);
    SignatureModels.channelsFirst(models, "caffe", CAFFE);
    Map<String, Integer> vocab = vocabulary("dog", "cat", "bird");
    SignatureModels.bertClassifier(models, BERT, vocab.get("dog"));
    SignatureModels.multiLabel(models, TAGS, vocab);
    SignatureModels.yamnet(models, YAMNET);
  }

  @Test
  void eachSignatureGivesTheKnownAnswerThroughARunningPipeline(@TempDir Path state)
      throws Exception {
    Map<String, Object> settings = new HashMap<>();
    settings.put("kinfer.models-dir", models.toString());
    settings.put("kinfer.pipelines.audio.model", "yamnet");
    settings.put("kinfer.pipelines.image.model", "mobilenet-v2");
    settings.put("kinfer.pipelines.text.model", "bert");
    for (String name : List.of("pytorch", "caffe", "tags")) {
      settings.put("kinfer.pipelines." + name + ".modality",
          name.equals("tags") ? "text" : "image");
      settings.put("kinfer.pipelines." + name + ".model", name);
    }
    try (TestService running = TestService.start(state, settings)) {
      String bootstrap = running.service().bootstrapServers();
      String longText = "a ".repeat(300) + "dog";
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
          new ByteArraySerializer())) {
        // 300x200: cropped to the model's square, all of it red.
        image(producer, "image", "red", Color.RED, 300, 200);
        image(producer, "image", "dark", new Color(64, 64, 64), 100, 100);
        image(producer, "pytorch", "green", Color.GREEN, 50, 50);
        image(producer, "caffe", "red-bgr", Color.RED, 50, 50);
        text(producer, "text", "dog-text", "the dog sat on the mat");
        text(producer, "text", "cat-text", "the cat sat on the mat");
        text(producer, "text", "long-dog", longText);
        text(producer, "tags", "dog-and-cat", "the dog and the cat");
        text(producer, "tags", "bird", "a bird");
        text(producer, "tags", "none", "the mat");
        // 0.48 s of silence, then 1.44 s of a tone: frames silence, tone, tone, tone. At 8 kHz:
        // the translator resamples to the model's 16 kHz.
        send(producer, "audio", "quiet-then-tone", AvroSerde.of(AudioEvent.class).encode(
            AudioEvent.newBuilder().setEnvelope(Events.envelope("quiet-then-tone"))
                .setEncoding(AudioEncoding.WAV).setAudio(ByteBuffer.wrap(quietThenTone(8000)))
                .build()));
      }
      Map<String, EnrichedEvent> images = Committed.results(bootstrap, "image.enriched", 2);
      assertEquals("red", images.get("red").getTopLabel());
      assertEquals("dark", images.get("dark").getTopLabel(),
          "dark grey is dark only on [-1, 1]: " + images.get("dark").getPredictions());
      assertEquals("second", Committed.results(bootstrap, "pytorch.enriched", 1).get("green")
          .getTopLabel(), "channels first, ImageNet normalisation");
      assertEquals("third", Committed.results(bootstrap, "caffe.enriched", 1).get("red-bgr")
          .getTopLabel(), "BGR: red is the third channel");
      Map<String, EnrichedEvent> texts = Committed.results(bootstrap, "text.enriched", 3);
      assertEquals("dog", texts.get("dog-text").getTopLabel());
      assertEquals("no-dog", texts.get("cat-text").getTopLabel());
      assertEquals("dog", texts.get("long-dog").getTopLabel(),
          "truncation=left keeps the end of a long text");
      float sum = 0;
      for (var p : texts.get("dog-text").getPredictions()) {
        sum += p.getScore();
      }
      assertEquals(1f, sum, 1e-5f, "softmax turns logits into probabilities");
      Map<String, EnrichedEvent> tags = Committed.results(bootstrap, "tags.enriched", 3);
      assertEquals(List.of("dog", "cat"), tags.get("dog-and-cat").getLabels());
      assertEquals(List.of("bird"), tags.get("bird").getLabels());
      assertEquals(List.of(), tags.get("none").getLabels());
      EnrichedEvent clip = Committed.results(bootstrap, "audio.enriched", 1)
          .get("quiet-then-tone");
      assertEquals("tone", clip.getTopLabel(), "mean pooling: three tone frames of four");
      assertEquals(0.75f, clip.getPredictions().get(0).getScore(), 0.02f);
      assertEquals(List.of("silence", "tone", "tone", "tone"),
          clip.getSegments().stream().map(g -> g.getLabel().toString()).toList());
      assertEquals(List.of(0.0, 0.48, 0.96, 1.44),
          clip.getSegments().stream().map(g -> Math.round(g.getStart() * 100) / 100.0).toList());
      assertEquals(1024, clip.getEmbedding().size(), "output_1 pooled over the frames");
      assertTrue(running.service().failures().isEmpty());
    }
  }

  /** A mono 16-bit WAV: 0.48 s of silence, then 1.44 s of a 440 Hz tone at half scale. */
  private static byte[] quietThenTone(int rate) {
    int quiet = (int) (0.48 * rate);
    int total = quiet + (int) (1.44 * rate);
    ByteBuffer wav = ByteBuffer.allocate(44 + 2 * total).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * total)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2)
        .putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * total);
    for (int i = 0; i < total; i++) {
      double v = i < quiet ? 0 : 0.5 * Math.sin(2 * Math.PI * 440 * i / rate);
      wav.putShort((short) Math.round(v * 32767));
    }
    return wav.array();
  }

  @Test
  void aConfigurationThatDoesNotFitTheSignatureFailsAtStartNamingTheKey(@TempDir Path root)
      throws Exception {
    Map<String, Integer> vocab = vocabulary("dog", "cat", "bird");
    expectKey(root, "mobilenet-v2", MOBILENET.replace("width=224", "width=200"), "set width=224",
        r -> SignatureModels.mobileNetV2(r, null));
    expectKey(root, "mobilenet-v2", MOBILENET.replace("channels=rgb", "channels=grey"),
        "set channels=rgb", r -> SignatureModels.mobileNetV2(r, null));
    expectKey(root, "pytorch", PYTORCH.replace("layout=nchw", "layout=nhwc"), "set layout=nchw",
        r -> SignatureModels.channelsFirst(r, "pytorch", null));
    expectKey(root, "bert", BERT.replace("attentionMaskName=attention_mask\n", ""),
        "set attentionMaskName=attention_mask",
        r -> SignatureModels.bertClassifier(r, null, vocab.get("dog")));
    expectKey(root, "bert", BERT.replace("dtype=int32", "dtype=int64"), "set dtype=int32",
        r -> SignatureModels.bertClassifier(r, null, vocab.get("dog")));
    expectKey(root, "tags", TAGS.replace("maxLength=32", "maxLength=64"), "set maxLength=32",
        r -> SignatureModels.multiLabel(r, null, vocab));
    expectKey(root, "yamnet", YAMNET.replace("features=waveform", "features=raw"),
        "set features=waveform", r -> SignatureModels.yamnet(r, null));
    expectKey(root, "tags", TAGS.replace("activation=sigmoid", "activation=relu"),
        "activation=relu; use none, softmax or sigmoid",
        r -> SignatureModels.multiLabel(r, null, vocab));
  }

  private interface Build {
    Path apply(Path root) throws Exception;
  }

  private static void expectKey(Path root, String name, String properties, String expected,
      Build build) throws Exception {
    Path fresh = Files.createTempDirectory(root, name);
    Path dir = build.apply(fresh);
    Files.writeString(dir.resolve("serving.properties"), properties);
    KinferSettings settings = new KinferSettings();
    settings.setModelsDir(fresh.toString());
    try (ModelRegistry registry = new ModelRegistry(settings)) {
      ModelFolderException error = assertThrows(ModelFolderException.class,
          () -> {
            if (properties.contains("modality=image")) {
              registry.load(name, null, "cpu", new ImageDecoder());
            } else if (properties.contains("modality=audio")) {
              registry.load(name, null, "cpu", new io.kinfer.decode.AudioDecoder());
            } else {
              registry.load(name, null, "cpu", new TextDecoder());
            }
          });
      assertTrue(error.getMessage().contains(expected), expected + " in: " + error.getMessage());
    }
  }

  private static Map<String, Integer> vocabulary(String... words) throws Exception {
    var vocab = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(SignatureModels.shippedTokenizer().toFile()).path("model").path("vocab");
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (String word : words) {
      ids.put(word, vocab.path(word).asInt(-1));
      assertTrue(ids.get(word) > 0, word + " is in the vocabulary");
    }
    return ids;
  }

  private static void image(KafkaProducer<byte[], byte[]> producer, String pipeline, String id,
      Color color, int width, int height) throws Exception {
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(picture, "png", png);
    send(producer, pipeline, id, AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder()
        .setEnvelope(Events.envelope(id)).setFormat(ImageFormat.PNG)
        .setImage(ByteBuffer.wrap(png.toByteArray())).build()));
  }

  private static void text(KafkaProducer<byte[], byte[]> producer, String pipeline, String id,
      String text) throws Exception {
    send(producer, pipeline, id, AvroSerde.of(TextEvent.class).encode(Events.text(id, text)));
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String pipeline, String id,
      byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(pipeline + ".events", id.getBytes(StandardCharsets.UTF_8),
        value)).get();
  }
}
