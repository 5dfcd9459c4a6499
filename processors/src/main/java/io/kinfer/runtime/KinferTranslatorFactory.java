package io.kinfer.runtime;

import ai.djl.Model;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
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
    String modality = Arguments.string(arguments, "modality", "");
    Translator<?, Scores> translator = switch (modality) {
      case "image" -> new ImageTranslator(arguments);
      case "audio" -> new AudioTranslator(arguments);
      case "text" -> new TextTranslator(model.getModelPath(), arguments);
      default -> throw new IllegalArgumentException("serving.properties of " + model.getModelPath()
          + " says modality=" + modality + "; use image, audio or text");
    };
    return (Translator<I, O>) translator;
  }
}
