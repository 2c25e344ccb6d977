package io.cortexhub.hub.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The hub's RSA key that signs user tokens (RS256), created on first use and kept as a JWK in {@code
 * <keyDir>/user-token-key.jwk} (file 0600, directory 0700).
 *
 * <p>Why RSA: every REST request verifies its token, and the JDK verifies an RSA-3072 signature in
 * ≈ 70 µs against ≈ 1,100 µs for ECDSA P-256 — that verification was a third of the hub's CPU under
 * REST load. Signing costs ≈ 3 ms instead, paid once per sign-in. 3072 bits match P-256's 128-bit
 * security level. A key file from an earlier hub holding an EC key is replaced by an RSA key (tokens
 * it signed, minutes-lived, are then refused and their holders sign in again).
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

  /** Bits of a generated key; a key file with fewer than {@link #MIN_BITS} is refused. */
  static final int BITS = 3072;
  static final int MIN_BITS = 2048;

  private final RSAKey key;

  private UserTokenKey(RSAKey key) {
    this.key = Objects.requireNonNull(key, "key");
    if (!key.isPrivate() || key.size() < MIN_BITS) {
      throw new IllegalArgumentException("a user token key is a private RSA key of at least " + MIN_BITS + " bits");
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
        RSAKey fresh = newKey();
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
      JWK stored = JWK.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (stored instanceof RSAKey rsa) {
        return new UserTokenKey(rsa);
      }
      return replaceOlderKey(file, stored);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the user token key " + file, e);
    } catch (ParseException e) {
      throw new IllegalStateException("the user token key " + file + " is not a valid JWK", e);
    }
  }

  /** An earlier hub's EC key: replaced atomically (temp file 0600, then rename over it). */
  private static UserTokenKey replaceOlderKey(Path file, JWK older) throws IOException {
    RSAKey fresh = newKey();
    Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(tmp, fresh.toJSONString().getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    LOG.warning(() -> "Replaced the " + older.getKeyType() + " user token key " + older.getKeyID() + " in " + file
        + " by the RSA key " + fresh.getKeyID() + ": tokens signed before are refused, their holders sign in"
        + " again");
    return new UserTokenKey(fresh);
  }

  private static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(BITS).keyIDFromThumbprint(true).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    }
  }

  /** The private JWK, for signing. */
  RSAKey jwk() {
    return key;
  }

  /** Key id: the JWK SHA-256 thumbprint, carried as {@code kid} in every token header. */
  public String keyId() {
    return key.getKeyID();
  }

  public RSAPublicKey publicKey() {
    try {
      return key.toRSAPublicKey();
    } catch (JOSEException e) {
      throw new IllegalStateException("unusable RSA key", e);
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
