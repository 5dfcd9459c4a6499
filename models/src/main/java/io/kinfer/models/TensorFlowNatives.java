package io.kinfer.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions TensorFlow's native libraries without any download, then points DJL at them.
 *
 * <p>DJL refuses the bundled cu121 natives on a CPU-only machine and would try to download
 * others, which fails offline. So the three libraries are extracted once from the
 * {@code tensorflow-native-cu121} jar (on the classpath, or in the local Maven repository) into
 * a cache folder, and {@code TENSORFLOW_LIBRARY_PATH} points there. The same natives use a GPU
 * when CUDA 12 and cuDNN 8.9 are installed.
 */
public final class TensorFlowNatives {

  public static final String TF_VERSION = "2.16.1";
  public static final String NATIVE_ARTIFACT =
      "ai.djl.tensorflow:tensorflow-native-cu121:" + TF_VERSION + ":jar:linux-x86_64";
  static final List<String> LIBRARIES =
      List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "libjnitensorflow.so");
  private static final String LIBRARY_PATH_KEY = "TENSORFLOW_LIBRARY_PATH";
  private static final String COMPLETE_MARKER = ".complete";
  private static final Logger LOG = LoggerFactory.getLogger(TensorFlowNatives.class);

  private TensorFlowNatives() {}

  /**
   * Makes the natives available and configures DJL for offline use. Idempotent; safe when
   * several JVMs start at once (extraction goes to a temporary folder that is renamed).
   *
   * @param cacheRoot folder for the extracted libraries (about 1.15 GB)
   * @return the folder holding the libraries
   */
  public static synchronized Path provision(Path cacheRoot) {
    System.setProperty("ai.djl.offline", "true");
    String configured = System.getProperty(LIBRARY_PATH_KEY, System.getenv(LIBRARY_PATH_KEY));
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured);
      if (!Files.isRegularFile(dir.resolve("libjnitensorflow.so"))) {
        throw new IllegalStateException(LIBRARY_PATH_KEY + "=" + configured
            + " has no libjnitensorflow.so; unset it so Kinfer extracts TensorFlow " + TF_VERSION
            + " itself, or point it at a folder holding " + LIBRARIES);
      }
      System.setProperty(LIBRARY_PATH_KEY, dir.toString());
      return dir;
    }
    requireLinuxX86();
    Path dir = cacheRoot.resolve("tensorflow-" + TF_VERSION + "-cu121-linux-x86_64");
    if (!Files.exists(dir.resolve(COMPLETE_MARKER))) {
      extract(dir);
    }
    System.setProperty(LIBRARY_PATH_KEY, dir.toString());
    return dir;
  }

  /**
   * Provisions the natives and loads DJL's TensorFlow engine (which also makes TF-Java's own
   * classes usable), logging the TF version and whether a GPU is used.
   */
  public static Engine engine(Path cacheRoot) {
    provision(cacheRoot);
    Engine engine;
    try {
      engine = Engine.getEngine("TensorFlow");
    } catch (RuntimeException e) {
      throw new IllegalStateException("TensorFlow " + TF_VERSION + " failed to load from "
          + System.getProperty(LIBRARY_PATH_KEY) + ": " + e.getMessage()
          + ". Delete that folder to re-extract the natives, or check the platform is"
          + " linux-x86_64 with glibc >= 2.28.", e);
    }
    int gpus = engine.getGpuCount();
    LOG.info("TensorFlow {} engine loaded (DJL {}): {}", engine.getVersion(),
        Engine.getDjlVersion(), gpus > 0 ? gpus + " GPU(s) available" : "CPU only, no GPU found");
    return engine;
  }

  /** Default cache: $KINFER_CACHE, else ~/.cache/kinfer. */
  public static Path defaultCacheRoot() {
    String env = System.getenv("KINFER_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "kinfer");
  }

  private static void requireLinuxX86() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException("Kinfer ships TensorFlow " + TF_VERSION
          + " natives for linux-x86_64 only; this is " + os + "/" + arch
          + ". Set " + LIBRARY_PATH_KEY + " to a folder with TensorFlow natives for this platform.");
    }
  }

  private static void extract(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".tmp");
      try {
        long started = System.nanoTime();
        LOG.info("Extracting TensorFlow {} native libraries (1.15 GB, once per machine) to {}",
            TF_VERSION, dir);
        try (NativeSource source = NativeSource.find()) {
          for (String lib : LIBRARIES) {
            try (InputStream in = source.open(lib)) {
              Files.copy(in, tmp.resolve(lib), StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.info("  extracted {} ({} MB)", lib, Files.size(tmp.resolve(lib)) >> 20);
          }
        }
        Files.createFile(tmp.resolve(COMPLETE_MARKER));
        try {
          Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
          LOG.info("Another process finished extracting first; using its copy");
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, dir);
        }
        LOG.info("TensorFlow natives ready in {} s", (System.nanoTime() - started) / 1_000_000_000);
      } finally {
        deleteRecursively(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract TensorFlow natives to " + dir
          + ": " + e.getMessage() + " (set KINFER_CACHE to a writable folder with 1.2 GB free)", e);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Where the native jar's content is read from: the classpath, or the local Maven repo. */
  private interface NativeSource extends AutoCloseable {
    InputStream open(String library) throws IOException;

    @Override
    void close() throws IOException;

    static NativeSource find() throws IOException {
      ClassLoader loader = TensorFlowNatives.class.getClassLoader();
      if (loader.getResource("native/lib/libjnitensorflow.so") != null) {
        return new NativeSource() {
          @Override
          public InputStream open(String library) {
            return loader.getResourceAsStream("native/lib/" + library);
          }

          @Override
          public void close() {}
        };
      }
      Path jar = localMavenRepository().resolve(
          "ai/djl/tensorflow/tensorflow-native-cu121/" + TF_VERSION
              + "/tensorflow-native-cu121-" + TF_VERSION + "-linux-x86_64.jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("TensorFlow natives not found: neither the classpath nor "
            + jar + " holds " + NATIVE_ARTIFACT + ". Fetch it once with: ./mvnw -q"
            + " dependency:get -Dartifact=" + NATIVE_ARTIFACT + " (Kinfer never downloads at run"
            + " time).");
      }
      ZipFile zip = new ZipFile(jar.toFile());
      return new NativeSource() {
        @Override
        public InputStream open(String library) throws IOException {
          ZipEntry entry = zip.getEntry("native/lib/" + library);
          if (entry == null) {
            throw new IOException(jar + " has no native/lib/" + library);
          }
          return zip.getInputStream(entry);
        }

        @Override
        public void close() throws IOException {
          zip.close();
        }
      };
    }

    private static Path localMavenRepository() {
      String repo = System.getProperty("maven.repo.local");
      return repo != null ? Path.of(repo)
          : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
  }
}
