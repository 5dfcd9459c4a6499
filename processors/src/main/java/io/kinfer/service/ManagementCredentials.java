package io.kinfer.service;

import io.kinfer.config.KinferSettings;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks HTTP Basic credentials against {@code kinfer.management.username} and {@code
 * password} (compared in constant time). With none configured, nobody authenticates — and
 * nobody needs to (see {@link ManagementAccess}).
 */
@Singleton
public class ManagementCredentials<B> implements HttpRequestAuthenticationProvider<B> {

  private final KinferSettings.Management management;

  public ManagementCredentials(KinferSettings settings) {
    this.management = settings.getManagement();
  }

  @Override
  public AuthenticationResponse authenticate(HttpRequest<B> request,
      AuthenticationRequest<String, String> credentials) {
    if (!management.requiresCredentials()) {
      return AuthenticationResponse.failure(AuthenticationFailureReason.USER_NOT_FOUND);
    }
    boolean user = same(management.getUsername(), credentials.getIdentity());
    boolean password = same(management.getPassword(), credentials.getSecret());
    return user && password ? AuthenticationResponse.success(credentials.getIdentity())
        : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
  }

  private static boolean same(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
