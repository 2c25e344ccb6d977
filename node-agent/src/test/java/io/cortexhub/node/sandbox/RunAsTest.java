package io.cortexhub.node.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunAsTest {
  @TempDir Path tmp;

  @Test
  void namesAndNumbers_resolveToIds_neverToRoot() throws Exception {
    Path passwd = Files.writeString(tmp.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
            + "build:x:1001:1001::/home/build:/bin/sh\n");
    Path group = Files.writeString(tmp.resolve("group"), "root:x:0:\nnogroup:x:65534:\nci:x:2000:build\n");
    assertThat(RunAs.resolve("nobody", passwd, group)).isEqualTo(new RunAs("nobody", 65534, 65534));
    assertThat(RunAs.resolve("build:ci", passwd, group)).isEqualTo(new RunAs("build:ci", 1001, 2000));
    assertThat(RunAs.resolve("1500:1600", passwd, group)).isEqualTo(new RunAs("1500:1600", 1500, 1600));
    assertThatThrownBy(() -> RunAs.resolve("ghost", passwd, group)).hasMessageContaining("no user 'ghost'");
    assertThatThrownBy(() -> RunAs.resolve("nobody:ghosts", passwd, group)).hasMessageContaining("no group 'ghosts'");
    assertThatThrownBy(() -> RunAs.resolve("root", passwd, group)).hasMessageContaining("never run as root");
    assertThatThrownBy(() -> RunAs.resolve("0", passwd, group)).hasMessageContaining("never run as root");
  }

  @Test
  void thisMachine_hasNobody() {
    assertThat(RunAs.resolve("nobody").uid()).isEqualTo(65534);
  }
}
