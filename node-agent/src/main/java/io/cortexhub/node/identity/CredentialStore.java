package io.cortexhub.node.identity;

import io.cortexhub.node.tunnel.HubAddress;
import io.cortexhub.proto.node.v1.NodeCredentialBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The node's state directory ({@code --state-dir}, {@code 0700}): its credentials, its profile
 * and its replay cache.
 *
 * <pre>
 * credentials.pem     0600  node certificate chain (for openssl), PKCS#8 private key, and the hub's
 *                           credential bundle as received (authoritative), in one file
 * node.properties     0600  hub address and display name given at enrollment
 * replay-cache.bin    0600  task nonces seen (node.verify.FileReplayCache)
 * agent.lock                held by the running agent so two agents never share one identity
 * </pre>
 *
 * <p>Credentials live in one file written atomically, so a crash during renewal leaves the old
 * identity or the new one, never a new certificate with an old key. Thread-safe for distinct
 * calls; the lock serialises agents, not threads.
 */
public final class CredentialStore {
  public static final String CREDENTIALS_FILE = "credentials.pem";
  public static final String PROFILE_FILE = "node.properties";
  public static final String REPLAY_CACHE_FILE = "replay-cache.bin";
  public static final String LOCK_FILE = "agent.lock";
  static final String BUNDLE_PEM_TYPE = "CORTEX NODE CREDENTIAL BUNDLE";
  private static final String KEY_PEM_TYPE = "PRIVATE KEY";

  private final Path dir;

  public CredentialStore(Path stateDir) {
    this.dir = Objects.requireNonNull(stateDir, "stateDir").toAbsolutePath();
  }

  public Path stateDir() {
    return dir;
  }

  public Path credentialsFile() {
    return dir.resolve(CREDENTIALS_FILE);
  }

  public Path replayCacheFile() {
    return dir.resolve(REPLAY_CACHE_FILE);
  }

  public boolean hasCredentials() {
    return Files.isRegularFile(credentialsFile());
  }

  /** Creates the directory ({@code 0700}) if needed. */
  public CredentialStore ensureDirectory() {
    try {
      SecureFiles.privateDirectory(dir);
      return this;
    } catch (IOException e) {
      throw new StateDirectoryException("cannot create state directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and checks the stored credentials.
   *
   * @return empty if none are stored
   * @throws InvalidCredentialsException if the file is damaged or inconsistent
   */
  public Optional<Credentials> load() {
    Path file = credentialsFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text;
    try {
      if (SecureFiles.tooOpen(file)) {
        SecureFiles.tighten(file);
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new StateDirectoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    PrivateKey key = null;
    NodeCredentialBundle bundle = null;
    try (PemReader pem = new PemReader(new StringReader(text))) {
      for (PemObject o = pem.readPemObject(); o != null; o = pem.readPemObject()) {
        if (o.getType().equals(KEY_PEM_TYPE)) {
          key = new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(o.getContent()));
        } else if (o.getType().equals(BUNDLE_PEM_TYPE)) {
          bundle = NodeCredentialBundle.parseFrom(o.getContent());
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidCredentialsException(file + " is damaged: " + e.getMessage(), e);
    }
    if (key == null || bundle == null) {
      throw new InvalidCredentialsException(
          file + " is damaged: it lacks the " + (key == null ? "private key" : "credential bundle"));
    }
    try {
      return Optional.of(Credentials.fromBundle(bundle, key));
    } catch (InvalidCredentialsException e) {
      throw new InvalidCredentialsException(file + ": " + e.getMessage(), e);
    }
  }

  /** Replaces the stored credentials atomically ({@code 0600}). */
  public void save(Credentials c) {
    ensureDirectory();
    StringBuilder b = new StringBuilder();
    b.append("# cortex-node credentials: ").append(c.describe()).append('\n');
    b.append("# Secret (0600). Written atomically by cortex-node; do not edit.\n");
    b.append("# `openssl x509 -in ").append(CREDENTIALS_FILE).append(" -noout -text` shows the node certificate.\n");
    b.append(c.bundle().getCertificateChainPem().strip()).append('\n');
    appendPem(b, KEY_PEM_TYPE, c.privateKey().getEncoded());
    appendPem(b, BUNDLE_PEM_TYPE, c.bundle().toByteArray());
    try {
      SecureFiles.writeAtomically(credentialsFile(), b.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new StateDirectoryException("cannot write " + credentialsFile() + ": " + e.getMessage(), e);
    }
  }

  /** The hub and name remembered at enrollment, if any. */
  public Optional<NodeProfile> loadProfile() {
    Path file = dir.resolve(PROFILE_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      return Optional.of(new NodeProfile(HubAddress.parse(p.getProperty("hub", "")), p.getProperty("name", "")));
    } catch (IOException | IllegalArgumentException e) {
      throw new StateDirectoryException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  public void saveProfile(NodeProfile profile) {
    ensureDirectory();
    Properties p = new Properties();
    p.setProperty("hub", profile.hub().toString());
    p.setProperty("name", profile.nodeName());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      p.store(out, "cortex-node: where this node enrolled");
      SecureFiles.writeAtomically(dir.resolve(PROFILE_FILE), out.toByteArray());
    } catch (IOException e) {
      throw new StateDirectoryException("cannot write " + dir.resolve(PROFILE_FILE) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the state directory for this process: a second agent with the same state directory (the
   * same identity) is refused. Release by closing.
   *
   * @throws StateDirectoryException if another process holds it
   */
  public StateLock lock() {
    ensureDirectory();
    Path file = dir.resolve(LOCK_FILE);
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw new StateDirectoryException(
            "state directory " + dir + " is in use by another cortex-node process; each node needs its own");
      }
      // One channel per locked file: closing any other channel on it would drop the lock.
      return new StateLock(file, ch);
    } catch (IOException e) {
      throw new StateDirectoryException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** The state directory held by this process; {@link #close()} lets it go. */
  public static final class StateLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;

    private StateLock(Path file, FileChannel channel) {
      this.file = file;
      this.channel = channel;
    }

    public Path file() {
      return file;
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
    }
  }

  private static void appendPem(StringBuilder b, String type, byte[] der) {
    b.append("-----BEGIN ").append(type).append("-----\n");
    b.append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)).append('\n');
    b.append("-----END ").append(type).append("-----\n");
  }
}
