package io.cortexhub.hub.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The hub's EC P-256 key that signs user tokens, created on first use and kept as a JWK in {@code
 * <keyDir>/user-token-key.jwk} (file 0600, directory 0700).
 *
 * <p>Two parties need it in one JVM and either may come first: the token issuer and the MP-JWT
 * config source through which Payara learns the public key. {@link #loadOrCreate(Path)} therefore
 * keeps one instance per directory, and creates the file exclusively ({@code CREATE_NEW}), so
 * even two processes racing on one data dir end with one key. Immutable and thread-safe.
 */
public final class UserTokenKey {

  /** File name of the key under the key directory. */
  public static final String FILE_NAME = "user-token-key.jwk";

  private static final Logger LOG = Logger.getLogger(UserTokenKey.class.getName());
  private static final Map<Path, UserTokenKey> LOADED = new ConcurrentHashMap<>();

  private final ECKey key;

  private UserTokenKey(ECKey key) {
    this.key = Objects.requireNonNull(key, "key");
    if (!key.isPrivate() || key.getCurve() != Curve.P_256) {
      throw new IllegalArgumentException("a user token key is a private EC P-256 key");
    }
  }

  /** The key under {@code keyDir}, generated and stored on first call. */
  public static UserTokenKey loadOrCreate(Path keyDir) {
    Path dir = keyDir.toAbsolutePath().normalize();
    return LOADED.computeIfAbsent(dir, UserTokenKey::readOrGenerate);
  }

  /** A key held only in memory, for tests. */
  public static UserTokenKey generate() {
    return new UserTokenKey(newKey());
  }

  private static UserTokenKey readOrGenerate(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
        ECKey fresh = newKey();
        try {
          // Mode 0600 from the moment the file exists; CREATE_NEW loses a race instead of
          // overwriting a key another process has just written.
          Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rw-------"))),
              fresh.toJSONString().getBytes(StandardCharsets.UTF_8),
              StandardOpenOption.TRUNCATE_EXISTING);
          LOG.info(() -> "Generated the user token signing key " + fresh.getKeyID() + " in "
              + file);
          return new UserTokenKey(fresh);
        } catch (FileAlreadyExistsException raced) {
          LOG.fine(() -> "Another process created " + file + " first; using it");
        }
      }
      return new UserTokenKey(ECKey.parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the user token key " + file, e);
    } catch (ParseException e) {
      throw new IllegalStateException("the user token key " + file + " is not a valid JWK", e);
    }
  }

  private static ECKey newKey() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an EC P-256 key", e);
    }
  }

  /** The private JWK, for signing. */
  ECKey jwk() {
    return key;
  }

  /** Key id: the JWK SHA-256 thumbprint, carried as {@code kid} in every token header. */
  public String keyId() {
    return key.getKeyID();
  }

  public ECPublicKey publicKey() {
    try {
      return key.toECPublicKey();
    } catch (JOSEException e) {
      throw new IllegalStateException("unusable EC key", e);
    }
  }

  /** The public key as a JWK set, for clients that verify hub tokens themselves. */
  public String publicJwks() {
    return "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}";
  }

  /** The public key as PEM ({@code BEGIN PUBLIC KEY}, X.509 SubjectPublicKeyInfo). */
  public String publicKeyPem() {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(publicKey().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }
}
