package io.planperfect;

import io.planperfect.callbacks.CallbackDelivery;
import io.planperfect.callbacks.CallbackSigner;
import io.planperfect.config.CallbackSettings;
import io.planperfect.fetch.AllowList;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.http.ApiKeys;
import java.time.Clock;

/**
 * Completion callbacks: the guarded fetcher they go through (the fetcher's SSRF rules and
 * {@code PLANPERFECT_FETCH_ALLOW}, checked at intake and again at delivery), the signer (the configured
 * secret or one derived from the service key) and the delivery loop, started on every node.
 */
record CallbacksPart(GuardedFetcher fetcher, CallbackDelivery delivery) {

  static CallbacksPart start(CallbackSettings settings, ApiKeys keys, DatabasePart db, OwnedParts parts) {
    AllowList allow;
    try {
      allow = AllowList.parse(settings.fetchAllow().orElse(null));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_FETCH_ALLOW: " + e.getMessage(), e);
    }
    GuardedFetcher fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(allow).withTimeout(settings.timeout()));
    CallbackSigner signer = new CallbackSigner(
        settings.secret().orElseGet(() -> CallbackSigner.derivedSecret(keys.serviceKey())));
    CallbackDelivery delivery =
        parts.ownLoop(new CallbackDelivery(db.jdbi(), fetcher, signer, settings, Clock.systemUTC()), CallbackDelivery::start);
    return new CallbacksPart(fetcher, delivery);
  }
}
