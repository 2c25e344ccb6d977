package io.cortexhub.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact-range tree gives RFC 6962's tree head at every size. */
class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();
  private final MessageDigest md = Hashing.sha256();

  @Test
  void matchesThePublishedRfc6962TestVectors() {
    // The Certificate Transparency reference leaves and tree heads for sizes 0..8.
    String[] leaves = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
    String[] roots = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };
    MerkleTree tree = new MerkleTree();
    assertThat(HEX.formatHex(tree.root())).isEqualTo(roots[0]);
    for (int i = 0; i < leaves.length; i++) {
      tree.append(Hashing.leafHash(md, HEX.parseHex(leaves[i])));
      assertThat(HEX.formatHex(tree.root())).as("size " + (i + 1)).isEqualTo(roots[i + 1]);
    }
  }

  @Test
  void agreesWithTheRecursiveDefinitionUpTo300Leaves() {
    Random random = new Random(42);
    List<byte[]> leafHashes = new ArrayList<>();
    MerkleTree tree = new MerkleTree();
    for (int n = 1; n <= 300; n++) {
      byte[] data = new byte[random.nextInt(40)];
      random.nextBytes(data);
      byte[] leaf = Hashing.leafHash(md, data);
      leafHashes.add(leaf);
      tree.append(leaf);
      assertThat(tree.root()).as("size " + n).isEqualTo(mth(leafHashes));
      assertThat(tree.size()).isEqualTo(n);
    }
  }

  /** RFC 6962 section 2.1, literally. */
  private byte[] mth(List<byte[]> d) {
    if (d.size() == 1) {
      return d.get(0);
    }
    int k = Integer.highestOneBit(d.size() - 1);
    return Hashing.nodeHash(md, mth(d.subList(0, k)), mth(d.subList(k, d.size())));
  }

  @Test
  void aTreeRestoredFromItsCompactRange_continuesExactlyLikeTheOriginal() {
    Random random = new Random(7);
    MerkleTree original = new MerkleTree();
    for (int n = 0; n < 140; n++) {
      MerkleTree restored = MerkleTree.restore(original.size(), original.compactRange());
      assertThat(restored.root()).isEqualTo(original.root());
      byte[] leaf = Hashing.leafHash(md, new byte[] {(byte) random.nextInt()});
      original.append(leaf);
      restored.append(leaf);
      assertThat(restored.root()).as("size " + (n + 1)).isEqualTo(original.root());
    }
    assertThat(original.compactRange()).hasSize(Long.bitCount(140));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MerkleTree.restore(3, List.of(new byte[32])))
        .hasMessageContaining("2 subtree roots, not 1");
  }
}
