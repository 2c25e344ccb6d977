package io.cortexhub.hub.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The hub's secrets on disk: one PKCS#12 keystore ({@code <data>/pki/hub-pki.p12}) holding the CA
 * keys, the tunnel's server key and the task-signing keys, protected by {@code
 * cortex.pki.keystore-password} (or a generated password in {@code keystore.password}), plus a
 * small non-secret state file. The directory is mode 0700 and every file 0600; every write goes to
 * a temporary file first and is moved into place atomically, so a crash never leaves half a
 * keystore. Not thread-safe: its owner ({@link HubPki}) serializes access.
 */
public final class PkiStore {
  private static final Logger LOG = Logger.getLogger(PkiStore.class.getName());
  static final String KEYSTORE = "hub-pki.p12";
  static final String PASSWORD_FILE = "keystore.password";
  static final String STATE_FILE = "pki.properties";

  private final Path dir;
  private final char[] password;
  private final KeyStore keyStore;

  private PkiStore(Path dir, char[] password, KeyStore keyStore) {
    this.dir = dir;
    this.password = password;
    this.keyStore = keyStore;
  }

  /**
   * Opens (or creates) the store in {@code dir}.
   *
   * @param configuredPassword the operator's password; empty to use (or create) a generated one
   */
  public static PkiStore open(Path dir, Optional<String> configuredPassword, SecureRandom random) {
    try {
      createPrivateDirectory(dir);
      char[] password = configuredPassword.map(String::toCharArray)
          .orElseGet(() -> generatedPassword(dir, random));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      Path file = dir.resolve(KEYSTORE);
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          ks.load(in, password);
        } catch (IOException e) {
          // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException.
          throw new IllegalStateException("cannot open " + file + ": wrong"
              + " cortex.pki.keystore-password, or the file is damaged (" + e.getMessage() + ")", e);
        }
      } else {
        ks.load(null, password);
      }
      return new PkiStore(dir, password, ks);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the PKI store in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot open the PKI store in " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public boolean isEmpty() {
    try {
      return keyStore.size() == 0;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key and its certificate chain stored under {@code alias}. */
  public Optional<Entry> entry(String alias) {
    try {
      if (!keyStore.isKeyEntry(alias)) {
        return Optional.empty();
      }
      PrivateKey key = (PrivateKey) keyStore.getKey(alias, password);
      Certificate[] chain = keyStore.getCertificateChain(alias);
      return Optional.of(new Entry(key, Arrays.stream(chain).map(c -> (X509Certificate) c)
          .toArray(X509Certificate[]::new)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read key " + alias + " from the PKI store", e);
    }
  }

  /** Stores (or replaces) a key entry in memory; {@link #save} writes it. */
  public void put(String alias, PrivateKey key, X509Certificate... chain) {
    try {
      keyStore.setKeyEntry(alias, key, password, chain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot store key " + alias, e);
    }
  }

  public void remove(String alias) {
    try {
      keyStore.deleteEntry(alias);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot remove key " + alias, e);
    }
  }

  /** Writes the keystore atomically with mode 0600. */
  public void save() {
    Path file = dir.resolve(KEYSTORE);
    writePrivate(file, out -> {
      try {
        keyStore.store(out, password);
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot encode the keystore", e);
      }
    });
  }

  public Properties state() {
    Properties p = new Properties();
    Path file = dir.resolve(STATE_FILE);
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return p;
  }

  public void saveState(Properties p) {
    writePrivate(dir.resolve(STATE_FILE), out -> p.store(out, "Cortex Hub PKI state"));
  }

  /** Writes a public file (mode 0644), e.g. the CA bundle operators hand to nodes. */
  public void writePublic(String name, String text) {
    Path file = dir.resolve(name);
    try {
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      if (posix()) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A key with its certificate chain (leaf first). */
  public record Entry(PrivateKey key, X509Certificate[] chain) {}

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void writePrivate(Path file, Writer writer) {
    try {
      // createTempFile makes the file 0600 on POSIX before anything is written into it.
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (posix()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static char[] generatedPassword(Path dir, SecureRandom random) {
    Path file = dir.resolve(PASSWORD_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).trim().toCharArray();
      }
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      writePrivate(file, out -> out.write(password.getBytes(StandardCharsets.US_ASCII)));
      LOG.warning(() -> "cortex.pki.keystore-password is not set: generated one in " + file
          + " (mode 0600). Set the property (or CORTEX_PKI_KEYSTORE_PASSWORD) to keep the key"
          + " password out of the data directory.");
      return password.toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (posix()) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    } else if (posix()) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
