package io.cortexhub.node.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keys, a recording sink, and the tools an attacker with write access to the log file has. */
final class AuditFixtures {
  private AuditFixtures() {}

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Collects the checkpoints handed to the sink. */
  static final class RecordingSink implements CheckpointSink {
    final List<Checkpoint> received = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void checkpoint(Checkpoint c) {
      received.add(c);
    }
  }

  static List<String> lines(Path file) {
    try {
      return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, List<String> lines) {
    try {
      Files.writeString(file, String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> parse(String line) {
    return new LinkedHashMap<>(CanonicalJson.parseObject(line));
  }

  /** A line with one top-level key replaced, re-encoded canonically (so only the chain can tell). */
  static String with(String line, String key, Object value) {
    Map<String, Object> m = parse(line);
    m.put(key, value);
    return CanonicalJson.write(m);
  }

  /**
   * What a careful attacker does after editing: renumbers seqs from 1 and recomputes every prev,
   * and every in-log checkpoint's root and last hash (the old signature is all they cannot redo).
   */
  static List<String> rechain(List<String> lines) {
    MessageDigest md = Hashing.sha256();
    MerkleTree tree = new MerkleTree();
    byte[] last = Hashing.GENESIS;
    List<String> out = new ArrayList<>();
    long seq = 0;
    for (String line : lines) {
      Map<String, Object> m = parse(line);
      m.put("seq", ++seq);
      m.put("prev", Hashing.hex(last));
      if (AuditTypes.CHECKPOINT.equals(m.get("type"))) {
        Map<String, Object> f = new LinkedHashMap<>(CanonicalJson.parseObject(CanonicalJson.write(m.get("fields"))));
        f.put("treeSize", seq - 1);
        f.put("rootHash", Hashing.hex(tree.root()));
        f.put("lastRecordHash", Hashing.hex(last));
        f.put("compactRange", AuditLog.hexList(tree.compactRange()));
        m.put("fields", f);
      }
      byte[] bytes = CanonicalJson.bytes(m);
      last = Hashing.recordHash(md, bytes);
      tree.append(Hashing.leafHash(md, bytes));
      out.add(new String(bytes, StandardCharsets.UTF_8));
    }
    return out;
  }
}
