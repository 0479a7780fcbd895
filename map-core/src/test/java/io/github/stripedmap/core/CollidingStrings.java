package io.github.stripedmap.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Distinct strings that all share one {@code hashCode()}: "Aa" and "BB" have equal hash codes, and so do
 * all concatenations of the same number of them. A test fixture (shared with map-concurrent's tests
 * through the test jar).
 */
public final class CollidingStrings {

  private CollidingStrings() { }

  /**
   * @param n how many (at least 1)
   * @return {@code n} distinct strings with one hash code
   */
  public static List<String> of(int n) {
    int blocks = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder(2 * blocks);
      for (int b = 0; b < blocks; b++) {
        sb.append((i >>> b & 1) == 0 ? "Aa" : "BB");
      }
      keys.add(sb.toString());
    }
    return keys;
  }
}
