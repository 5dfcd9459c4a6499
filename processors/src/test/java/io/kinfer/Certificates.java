package io.kinfer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates for TLS tests, made by the running JDK's keytool (password {@code changeit}). */
public final class Certificates {

  public static final String PASSWORD = "changeit";

  private Certificates() {}

  /** A PKCS12 key store holding a self-signed EC key pair under {@code alias}. */
  public static void selfSigned(Path keyStore, String alias, String commonName, String san)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=" + commonName));
    if (san != null) {
      args.addAll(List.of("-ext", "SAN=" + san));
    }
    args.addAll(List.of("-validity", "2", "-storetype", "PKCS12", "-keystore",
        keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    keytool(args.toArray(String[]::new));
  }

  /** A PKCS12 trust store holding the certificate under {@code alias} of {@code keyStore}. */
  public static void trustStore(Path keyStore, String alias, Path trustStore) throws Exception {
    Path cert = trustStore.resolveSibling(trustStore.getFileName() + ".crt");
    keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storepass",
        PASSWORD, "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(),
        "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + output);
  }
}
