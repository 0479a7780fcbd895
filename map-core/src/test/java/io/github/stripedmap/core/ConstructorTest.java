package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConstructorTest {

  @ParameterizedTest
  @ValueSource(ints = {-1, -2, Integer.MIN_VALUE})
  void aNegativeInitialCapacityIsRejected(int capacity) {
    assertThatThrownBy(() -> new BucketMap<String, String>(capacity))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(capacity));
  }

  @Test
  void theLoadFactorConstructorChecksAsHashMapDoesAndSizesAsTheCapacityConstructor() {
    for (float bad : new float[] {0f, -1f, Float.NaN, Float.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> new HashMap<String, String>(16, bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new BucketMap<String, String>(16, bad)).as("loadFactor %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new BucketMap<String, String>(-1, 0.75f)).isInstanceOf(IllegalArgumentException.class);
    BucketMap<Integer, Integer> plain = new BucketMap<>(10_000);
    BucketMap<Integer, Integer> small = new BucketMap<>(16);
    plain.put(1, 1);
    small.put(1, 1);
    for (float factor : new float[] {0.25f, 0.75f, 4f, Float.POSITIVE_INFINITY}) {
      BucketMap<Integer, Integer> withFactor = new BucketMap<>(10_000, factor);
      withFactor.put(1, 1);
      assertThat(withFactor.statistics().buckets()).as("loadFactor %s", factor)
          .isEqualTo(plain.statistics().buckets())
          .isGreaterThan(small.statistics().buckets());
    }
  }

  @Test
  void zeroIsAValidInitialCapacity() {
    BucketMap<String, String> map = new BucketMap<>(0);
    map.put("a", "b");
    assertThat(map).containsExactly(Map.entry("a", "b"));
    assertThat(map.statistics().buckets()).isEqualTo(1);
  }

  @Test
  void nothingIsAllocatedBeforeTheFirstInsert() {
    BucketMap<String, String> presized = new BucketMap<>(1_000_000);
    assertThat(presized.statistics().buckets()).isZero();
    assertThat(presized.statistics().estimatedBytes()).isEqualTo(new BucketMap<>().statistics().estimatedBytes());
  }

  @Test
  void theCopyConstructorCopiesEveryMappingAndIsIndependentOfItsSource() {
    Map<String, Integer> source = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      source.put("k" + i, i);
    }
    source.put(null, null);
    source.put("nullValue", null);
    BucketMap<String, Integer> copy = new BucketMap<>(source);
    assertThat(copy).isEqualTo(source);
    copy.checkInvariants();
    source.put("later", 1);
    copy.remove("k0");
    assertThat(copy).doesNotContainKey("later");
    assertThat(source).containsKey("k0");
  }

  @Test
  void theCopyConstructorCopiesAMapThatIsMigrating() {
    BucketMap<Integer, Integer> source = Fixtures.fullTable(512);
    Fixtures.startDoubling(source, 512);
    BucketMap<Integer, Integer> copy = new BucketMap<>(source);
    assertThat(copy).isEqualTo(source).hasSize(source.size());
    copy.checkInvariants();
  }

  @Test
  void theCopyConstructorRejectsNull() {
    assertThatThrownBy(() -> new BucketMap<String, String>(null)).isInstanceOf(NullPointerException.class);
  }
}
