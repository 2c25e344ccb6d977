package io.cortexhub.node.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The policy file as a YAML node tree with line numbers, and typed accessors whose errors name the
 * file, the line and the key. Only the composer of snakeyaml-engine is used: no object construction,
 * so no tags can instantiate anything, and duplicate keys are refused here. Not thread-safe; one per
 * load.
 */
final class YamlTree {
  /** A policy is a page of text, not a data set: bound the parser's work. */
  static final int MAX_CODE_POINTS = 256 * 1024;

  private final String name;

  YamlTree(String name) {
    this.name = name;
  }

  /** The document's root mapping; an empty document is an empty mapping. */
  Map<String, Node> root(String text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(name)
            .setCodePointLimit(MAX_CODE_POINTS)
            .setMaxAliasesForCollections(0)
            .setAllowRecursiveKeys(false)
            .build();
    Optional<Node> node;
    try {
      node = new Compose(settings).composeString(text);
    } catch (YamlEngineException e) {
      throw new PolicyException(name + ": not valid YAML: " + e.getMessage(), e);
    }
    if (node.isEmpty()) {
      return Map.of();
    }
    return mapping(node.get(), "(top level)");
  }

  Map<String, Node> mapping(Node node, String key) {
    if (!(node instanceof MappingNode m)) {
      throw error(node, key, "expected a mapping of keys to values");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String k = scalar(t.getKeyNode(), key + " (a key)");
      if (out.put(k, t.getValueNode()) != null) {
        throw error(t.getKeyNode(), k, "duplicate key");
      }
    }
    return out;
  }

  /** Refuses keys this schema does not know: a typo must not silently loosen the policy. */
  void onlyKeys(Map<String, Node> map, String where, List<String> known) {
    for (String k : map.keySet()) {
      if (!known.contains(k)) {
        throw error(map.get(k), k, "unknown key in " + where + "; known keys: " + String.join(", ", known));
      }
    }
  }

  List<Node> sequence(Node node, String key) {
    if (!(node instanceof SequenceNode s)) {
      throw error(node, key, "expected a list");
    }
    return s.getValue();
  }

  List<String> strings(Node node, String key) {
    return sequence(node, key).stream().map(n -> scalar(n, key)).toList();
  }

  String scalar(Node node, String key) {
    if (!(node instanceof ScalarNode s)) {
      throw error(node, key, "expected a single value");
    }
    return s.getValue();
  }

  boolean bool(Node node, String key) {
    String v = scalar(node, key);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error(node, key, "expected true or false, got '" + v + "'");
    };
  }

  int integer(Node node, String key, int min, int max) {
    String v = scalar(node, key);
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw error(node, key, "must be between " + min + " and " + max + ", got " + i);
      }
      return i;
    } catch (NumberFormatException e) {
      throw error(node, key, "expected a whole number, got '" + v + "'");
    }
  }

  PolicyException error(Node node, String key, String message) {
    return new PolicyException(name + " line " + line(node) + ": key '" + key + "': " + message);
  }

  static int line(Node node) {
    return node.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
  }
}
