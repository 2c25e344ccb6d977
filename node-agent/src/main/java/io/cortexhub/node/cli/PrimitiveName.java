package io.cortexhub.node.cli;

import io.cortexhub.node.sandbox.Primitive;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sandbox primitives on the command line, as the manifest and the docs spell them: {@code bubblewrap},
 * {@code unshare}, {@code setpriv}, {@code cgroup-v2}, {@code cgroup-v1}, {@code prlimit}. Thread-safe
 * (stateless).
 */
final class PrimitiveName implements ITypeConverter<Primitive> {

  static String of(Primitive p) {
    return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public Primitive convert(String value) {
    String wanted = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    for (Primitive p : Primitive.values()) {
      if (of(p).equals(wanted)) {
        return p;
      }
    }
    throw new TypeConversionException("'" + value + "' is not a sandbox primitive; one of "
        + Arrays.stream(Primitive.values()).map(PrimitiveName::of).collect(Collectors.joining(", ")));
  }
}
