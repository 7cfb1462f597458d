package io.planperfect.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The signature and the derived secret agree with the README's openssl commands (values computed with openssl). */
class CallbackSignerTest {

  @Test
  void the_signature_is_the_hmac_of_timestamp_dot_body_as_openssl_computes_it() {
    // printf %s '1700000000.{"a":1}' | openssl dgst -sha256 -hmac test-webhook-secret-0123456789
    assertThat(new CallbackSigner("test-webhook-secret-0123456789")
        .signature(1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=0371f975ea5003c194f8165b530d89e732e171cbd9d2e72bf8178119f908e003");
  }

  @Test
  void the_derived_secret_is_the_hmac_of_the_label_keyed_by_the_service_key() {
    // printf %s planperfect-webhook-secret | openssl dgst -sha256 -hmac test-service-key-0123456789
    assertThat(CallbackSigner.derivedSecret("test-service-key-0123456789"))
        .isEqualTo("48d85a4bf78e9e608055b3fc27086fc14196e050d076a10fc7cac789cc2d5e28");
  }

  @Test
  void a_different_body_or_timestamp_changes_the_signature() {
    CallbackSigner signer = new CallbackSigner("test-webhook-secret-0123456789");
    String signed = signer.signature(1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(signer.signature(1_700_000_001L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(signed);
    assertThat(signer.signature(1_700_000_000L, "{\"a\":2}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(signed);
  }
}
