package io.kinfer.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.models.ModelFolder.ModelFolderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

  @TempDir Path models;

  private Path version(String name, String version, String properties) throws IOException {
    Path dir = Files.createDirectories(models.resolve(name).resolve(version));
    Files.createDirectories(dir.resolve("variables"));
    Files.write(dir.resolve("saved_model.pb"), new byte[] {1});
    Files.writeString(dir.resolve("serving.properties"), properties);
    Files.writeString(dir.resolve("synset.txt"), "cat\ndog\n\n");
    return dir;
  }

  private static final String IMAGE = "modality=image\ninputName=image\noutputName=p\n";

  @Test
  void picksTheHighestNumericVersionUnlessPinned() throws IOException {
    version("m", "2", IMAGE);
    version("m", "10", IMAGE);
    Files.createDirectories(models.resolve("m/latest"));
    ModelFolder folder = ModelFolder.open(models, "m", null);
    assertEquals("10", folder.version());
    assertEquals(java.util.List.of("cat", "dog"), folder.labels(), "blank lines ignored");
    assertEquals("image", folder.modality());
    assertEquals("2", ModelFolder.open(models, "m", "2").version());
  }

  @Test
  void everyProblemNamesTheFolderAndWhatToDo() throws IOException {
    assertMessage(() -> ModelFolder.open(models, "absent", null), "absent", "does not exist");
    Files.createDirectories(models.resolve("empty"));
    assertMessage(() -> ModelFolder.open(models, "empty", null), "empty", "no numeric version");

    Path dir = version("m", "1", IMAGE);
    assertMessage(() -> ModelFolder.open(models, "m", "7"), "m/7", "does not exist");
    Files.delete(dir.resolve("synset.txt"));
    assertMessage(() -> ModelFolder.open(models, "m", null), "synset.txt", "one label per line");

    Path noInput = version("n", "1", "modality=image\noutputName=p\n");
    assertMessage(() -> ModelFolder.open(models, "n", null), "inputName", "serving.properties");
    Files.delete(noInput.resolve("saved_model.pb"));
    assertMessage(() -> ModelFolder.open(models, "n", null), "saved_model.pb",
        "tf.saved_model.save");

    version("t", "1", "modality=text\ninputName=ids\noutputName=p\n");
    assertMessage(() -> ModelFolder.open(models, "t", null), "tokenizer.json", "Hugging Face");

    version("e", "1", IMAGE + "engine=PyTorch\n");
    assertMessage(() -> ModelFolder.open(models, "e", null), "engine=PyTorch", "TensorFlow");
  }

  private static void assertMessage(Runnable call, String... parts) {
    var error = assertThrows(ModelFolderException.class, call::run);
    for (String part : parts) {
      assertTrue(error.getMessage().contains(part), "'" + part + "' in: " + error.getMessage());
    }
  }
}
