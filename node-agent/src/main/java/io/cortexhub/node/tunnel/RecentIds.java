package io.cortexhub.node.tunnel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded set that forgets its oldest entries: the task ids and nonces a node has seen, to refuse
 * replays without growing forever. Not thread-safe (confined to the node's executor).
 */
final class RecentIds<T> {
  private final LinkedHashMap<T, Boolean> entries;

  RecentIds(int capacity) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  void add(T id) {
    entries.put(id, Boolean.TRUE);
  }

  boolean contains(T id) {
    return entries.containsKey(id);
  }
}
