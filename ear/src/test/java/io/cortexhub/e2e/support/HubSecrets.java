package io.cortexhub.e2e.support;

import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * The hub's secrets, read from its data directory as an attacker never could: the key that signs user
 * tokens and the CA that issues node certificates. Refusal tests forge with them (an expired token, an
 * expired certificate from the real CA), so each refusal is caused by the one thing changed and not by a
 * wrong key. The layout read here is the hub's ({@code auth/user-token-key.jwk}; {@code pki/hub-pki.p12}
 * unlocked by {@code pki/keystore.password}, the issuing CA's alias in {@code pki/pki.properties}).
 * Stateless.
 */
public final class HubSecrets {
  private static final Duration APPEAR = Duration.ofSeconds(60);

  private final Path dataDir;

  public HubSecrets(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
  }

  /** The RSA key the hub signs user tokens with (created at its first boot). */
  public RSAKey userTokenKey() {
    Path file = dataDir.resolve("auth/user-token-key.jwk");
    Await.until("the hub's user token key at " + file, APPEAR, () -> Files.isRegularFile(file));
    try {
      return RSAKey.parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new IllegalStateException("cannot parse " + file, e);
    }
  }

  /** The CA issuing node certificates now, with its private key. */
  public Pki.Ca issuingCa() {
    Path pki = dataDir.resolve("pki");
    try {
      Properties state = new Properties();
      try (InputStream in = Files.newInputStream(pki.resolve("pki.properties"))) {
        state.load(in);
      }
      String alias = Objects.requireNonNull(state.getProperty("issuing"), "issuing CA alias");
      char[] password =
          Files.readString(pki.resolve("keystore.password"), StandardCharsets.US_ASCII).trim().toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(pki.resolve("hub-pki.p12"))) {
        store.load(in, password);
      }
      return new Pki.Ca((X509Certificate) store.getCertificate(alias), (PrivateKey) store.getKey(alias, password));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hub's PKI in " + pki, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot open the hub's keystore in " + pki, e);
    }
  }
}
