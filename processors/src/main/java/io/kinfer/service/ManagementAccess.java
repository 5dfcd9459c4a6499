package io.kinfer.service;

import io.kinfer.config.KinferSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Who may use the management port. {@code /health/**} is always open, so probes work without
 * credentials (it shows states and reasons, never event content). Everything else — the live
 * page with its pictures and text, and {@code /prometheus} — is open when no credentials are
 * configured and needs them (HTTP Basic, see {@link ManagementCredentials}) when {@code
 * kinfer.management.username} and {@code password} are set. Decides before Micronaut's own
 * rules, so an endpoint's {@code sensitive: false} does not open it.
 */
@Singleton
public class ManagementAccess implements SecurityRule<HttpRequest<?>> {

  static final int ORDER = -1000;
  private final boolean credentialsRequired;

  public ManagementAccess(KinferSettings settings) {
    this.credentialsRequired = settings.getManagement().requiresCredentials();
  }

  @Override
  public Publisher<SecurityRuleResult> check(HttpRequest<?> request,
      @Nullable Authentication authentication) {
    String path = request.getPath();
    boolean open = !credentialsRequired || path.equals("/health")
        || path.startsWith("/health/");
    return Publishers.just(open || authentication != null ? SecurityRuleResult.ALLOWED
        : SecurityRuleResult.REJECTED);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
