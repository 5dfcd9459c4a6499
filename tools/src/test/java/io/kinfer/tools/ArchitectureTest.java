package io.kinfer.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture as rules: packages follow the data flow one way (decode → inference →
 * batching → observe → pipeline → service), no package cycles anywhere, the service never reaches trainer
 * or tool code, and the tools use the service only through its public API.
 */
@AnalyzeClasses(packages = "io.kinfer", importOptions = {ImportOption.DoNotIncludeTests.class,
    ArchitectureTest.NoTestFixtures.class})
class ArchitectureTest {

  /** Everything the service module holds. */
  static final String[] SERVICE = {"io.kinfer.decode..", "io.kinfer.inference..",
      "io.kinfer.deadletter..", "io.kinfer.batching..", "io.kinfer.observe..",
      "io.kinfer.pipeline..", "io.kinfer.wire..",
      "io.kinfer.broker..", "io.kinfer.config..", "io.kinfer.service.."};

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("io.kinfer.(**)").should()
      .beFreeOfCycles();

  @ArchTest
  static final ArchRule serviceAndModelFormatHoldNoTrainerOrToolCode = noClasses()
      .that().resideInAnyPackage(concat(SERVICE, "io.kinfer.models..", "io.kinfer.schema.."))
      .should().dependOnClassesThat()
      .resideInAnyPackage("io.kinfer.trainer..", "io.kinfer.tools..", "picocli..")
      .because("the service's runtime classpath holds nothing that builds models or tests it");

  @ArchTest
  static final ArchRule modelFormatKnowsNothingOfTheService = noClasses()
      .that().resideInAPackage("io.kinfer.models..")
      .should().dependOnClassesThat().resideInAnyPackage(SERVICE);

  @ArchTest
  static final ArchRule toolsUseTheServiceOnlyThroughItsPublicApi = noClasses()
      .that().resideInAPackage("io.kinfer.tools..")
      .should().dependOnClassesThat()
      .resideInAnyPackage("io.kinfer.batching..", "io.kinfer.observe..",
          "io.kinfer.pipeline..")
      .because("the batching core and the topology wiring are the service's internals: tools"
          + " start the service (io.kinfer.service) and use its settings, decoders and models");

  @ArchTest
  static final ArchRule theServiceFollowsTheFlowOneWay = layeredArchitecture()
      .consideringOnlyDependenciesInAnyPackage("io.kinfer..")
      .layer("Schema").definedBy("io.kinfer.schema..")
      .layer("ModelFormat").definedBy("io.kinfer.models..")
      .layer("Config").definedBy("io.kinfer.config..")
      .layer("Decode").definedBy("io.kinfer.decode..")
      .layer("Inference").definedBy("io.kinfer.inference..")
      .layer("Wire").definedBy("io.kinfer.wire..")
      .layer("DeadLetter").definedBy("io.kinfer.deadletter..")
      .layer("Batching").definedBy("io.kinfer.batching..")
      .layer("Observe").definedBy("io.kinfer.observe..")
      .layer("Pipeline").definedBy("io.kinfer.pipeline..")
      .layer("Broker").definedBy("io.kinfer.broker..")
      .layer("Service").definedBy("io.kinfer.service..")
      .layer("Trainer").definedBy("io.kinfer.trainer..")
      .layer("Tools").definedBy("io.kinfer.tools..")
      .whereLayer("Tools").mayNotBeAccessedByAnyLayer()
      .whereLayer("Trainer").mayOnlyBeAccessedByLayers("Tools")
      .whereLayer("Service").mayOnlyBeAccessedByLayers("Tools")
      .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("Service")
      .whereLayer("Observe").mayOnlyBeAccessedByLayers("Pipeline", "Service")
      .whereLayer("Batching").mayOnlyBeAccessedByLayers("Observe", "Pipeline")
      .whereLayer("DeadLetter").mayOnlyBeAccessedByLayers("Batching", "Observe", "Pipeline",
          "Tools")
      .whereLayer("Wire").mayOnlyBeAccessedByLayers("DeadLetter", "Pipeline", "Service",
          "Tools")
      .whereLayer("Inference").mayOnlyBeAccessedByLayers("Batching", "Pipeline", "Tools")
      .whereLayer("Decode").mayOnlyBeAccessedByLayers("Inference", "DeadLetter", "Batching",
          "Pipeline", "Tools")
      .whereLayer("Broker").mayOnlyBeAccessedByLayers("Pipeline", "Service", "Tools")
      .whereLayer("Config").mayOnlyBeAccessedByLayers("Inference", "Observe", "Wire",
          "Pipeline", "Service", "Tools")
      .whereLayer("ModelFormat").mayOnlyBeAccessedByLayers("Inference", "Trainer", "Tools");

  /** The service's test classes reach this module as a test jar: they are not main code. */
  static final class NoTestFixtures implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
