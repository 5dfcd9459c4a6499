package io.kinfer.trainer;
import io.kinfer.models.TensorFlowNatives;
import io.kinfer.models.ModelFolder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** The generator writes folders that honour the contract and SavedModels TensorFlow serves. */
class PlaceholderModelsTest {

  @TempDir Path tmp;

  @Test
  void generatedFoldersOpenAndTheirSignaturesServe() throws IOException {
    TensorFlowNatives.engine(TensorFlowNatives.defaultCacheRoot());
    List<Path> dirs = PlaceholderModels.writeAll(tmp, 7L);
    assertEquals(3, dirs.size());
    for (String name : List.of("image-cnn", "audio-rnn", "text-transformer")) {
      ModelFolder folder = ModelFolder.open(tmp, name, null);
      assertEquals("1", folder.version());
      assertEquals(true, Files.isRegularFile(folder.dir().resolve("MODEL.md")));
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(tmp.resolve("image-cnn/1").toString(),
            "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(3, 28, 28, 1))) {
      try (var result = bundle.function("serving_default").call(Map.of("image", input))) {
        Tensor out = result.get("probabilities").orElseThrow();
        assertEquals(Shape.of(3, 10), out.shape());
      }
    }
  }
}
