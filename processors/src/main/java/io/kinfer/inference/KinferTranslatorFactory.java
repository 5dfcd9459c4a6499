package io.kinfer.inference;

import ai.djl.Model;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.kinfer.decode.AudioClip;
import io.kinfer.models.ServingProperties;
import java.awt.image.BufferedImage;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/**
 * Builds the translator of a model folder from its {@code serving.properties} arguments: the
 * {@code modality} key picks image, audio or text; the other keys configure it. No code is
 * needed to serve a new SavedModel of a known modality.
 */
public final class KinferTranslatorFactory implements TranslatorFactory {

  private static final Set<Pair<Type, Type>> SUPPORTED = Set.of(
      new Pair<>(BufferedImage.class, Scores.class),
      new Pair<>(AudioClip.class, Scores.class),
      new Pair<>(String.class, Scores.class));

  @Override
  public Set<Pair<Type, Type>> getSupportedTypes() {
    return SUPPORTED;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model,
      Map<String, ?> arguments) {
    ServingProperties serving = ServingProperties.parse(arguments,
        model.getModelPath().resolve(ServingProperties.FILE));
    Translator<?, Scores> translator = switch (serving.modality()) {
      case "image" -> new ImageTranslator(serving);
      case "audio" -> new AudioTranslator(serving);
      default -> new TextTranslator(model.getModelPath(), serving);
    };
    return (Translator<I, O>) translator;
  }
}
