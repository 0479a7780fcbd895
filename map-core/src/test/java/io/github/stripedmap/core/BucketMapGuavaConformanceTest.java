package io.github.stripedmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestMapGenerator;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.Feature;
import com.google.common.collect.testing.features.MapFeature;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Guava testlib's generated {@code Map} conformance tests, with exactly the feature set that Guava itself
 * uses for {@link java.util.HashMap}, run through {@link JUnit3DynamicTests}. Each factory first checks
 * that the suite is not empty, so a misconfigured builder cannot pass silently.
 */
class BucketMapGuavaConformanceTest {

  /** HashMap's feature set in Guava's own {@code TestsForMapsInJavaUtil}, plus the collection-level fail-fast. */
  static final Feature<?>[] HASH_MAP_FEATURES = {
    CollectionSize.ANY,
    MapFeature.GENERAL_PURPOSE,
    MapFeature.ALLOWS_NULL_KEYS,
    MapFeature.ALLOWS_NULL_VALUES,
    MapFeature.ALLOWS_ANY_NULL_QUERIES,
    MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
    CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
    CollectionFeature.SERIALIZABLE,
    CollectionFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
  };

  /** Guava generates ~2,000 tests for this feature set; far fewer means the suite was misbuilt. */
  private static final int MIN_TESTS = 1_500;

  @TestFactory
  Stream<DynamicNode> defaultConstructor() {
    return suite("BucketMap[default]", stringMaps(BucketMap::new));
  }

  @TestFactory
  Stream<DynamicNode> tinyInitialCapacity() {
    return suite("BucketMap[initialCapacity=0]", stringMaps(() -> new BucketMap<>(0)));
  }

  @TestFactory
  Stream<DynamicNode> largeInitialCapacity() {
    return suite("BucketMap[initialCapacity=4096]", stringMaps(() -> new BucketMap<>(4096)));
  }

  @TestFactory
  Stream<DynamicNode> copyConstructor() {
    return suite("BucketMap[copy of a Map]", new TestStringMapGenerator() {
      @Override
      protected Map<String, String> create(Entry<String, String>[] entries) {
        Map<String, String> source = new LinkedHashMap<>();
        for (Entry<String, String> e : entries) {
          source.put(e.getKey(), e.getValue());
        }
        return new BucketMap<>(source);
      }
    });
  }

  /** All keys share one hash code: every lookup must fall back on {@code equals} within one bucket. */
  @TestFactory
  Stream<DynamicNode> fullyCollidingKeys() {
    return suite("BucketMap[CollidingKey keys]", new CollidingKeyMapGenerator(CollidingKey::fullCollision));
  }

  static Stream<DynamicNode> suite(String name, TestMapGenerator<?, ?> generator) {
    TestSuite suite = MapTestSuiteBuilder.using(generator)
        .named(name)
        .withFeatures(HASH_MAP_FEATURES)
        .createTestSuite();
    assertThat(suite.countTestCases()).as("tests generated for %s", name).isGreaterThan(MIN_TESTS);
    return JUnit3DynamicTests.of(suite);
  }

  static TestStringMapGenerator stringMaps(Supplier<BucketMap<String, String>> factory) {
    return new TestStringMapGenerator() {
      @Override
      protected Map<String, String> create(Entry<String, String>[] entries) {
        BucketMap<String, String> map = factory.get();
        for (Entry<String, String> e : entries) {
          map.put(e.getKey(), e.getValue());
        }
        return map;
      }
    };
  }

  /** Like {@link TestStringMapGenerator}, with {@link CollidingKey} keys. */
  static final class CollidingKeyMapGenerator implements TestMapGenerator<CollidingKey, String> {
    private final IntFunction<CollidingKey> keys;

    CollidingKeyMapGenerator(IntFunction<CollidingKey> keys) {
      this.keys = keys;
    }

    @Override
    public SampleElements<Entry<CollidingKey, String>> samples() {
      return new SampleElements<>(
          Map.entry(keys.apply(1), "January"),
          Map.entry(keys.apply(2), "February"),
          Map.entry(keys.apply(3), "March"),
          Map.entry(keys.apply(4), "April"),
          Map.entry(keys.apply(5), "May"));
    }

    @Override
    public Map<CollidingKey, String> create(Object... entries) {
      BucketMap<CollidingKey, String> map = new BucketMap<>();
      for (Object o : entries) {
        @SuppressWarnings("unchecked")
        Entry<CollidingKey, String> e = (Entry<CollidingKey, String>) o;
        map.put(e.getKey(), e.getValue());
      }
      return map;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Entry<CollidingKey, String>[] createArray(int length) {
      return new Entry[length];
    }

    @Override
    public Iterable<Entry<CollidingKey, String>> order(List<Entry<CollidingKey, String>> insertionOrder) {
      return new ArrayList<>(insertionOrder);
    }

    @Override
    public CollidingKey[] createKeyArray(int length) {
      return new CollidingKey[length];
    }

    @Override
    public String[] createValueArray(int length) {
      return new String[length];
    }
  }
}
