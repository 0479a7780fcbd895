package io.github.stripedmap.concurrent;

import io.github.stripedmap.core.JUnit3DynamicTests;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.SetTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.TestStringSetGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.Feature;
import com.google.common.collect.testing.features.MapFeature;
import com.google.common.collect.testing.features.SetFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Guava testlib's generated {@code ConcurrentMap} conformance tests with exactly the features that
 * {@link java.util.concurrent.ConcurrentHashMap} has (no null keys, values or queries), run through
 * {@link JUnit3DynamicTests} for several shapes of {@link StripedMap}; and the {@code Set} tests for
 * {@link StripedMap#newKeySet()} with the features of {@code ConcurrentHashMap.newKeySet()}.
 *
 * <p>With these features Guava 33.8 generates 1,803 tests per map, none suppressed. Each factory
 * checks that its suite has exactly as many tests as the same builder generates for
 * {@code ConcurrentHashMap}, so that a misconfigured generator or builder (a feature silently dropping
 * testers) cannot pass. (Run through this builder unsuppressed, {@code ConcurrentHashMap} itself fails
 * 16 of its 1,803 tests: its entry set accepts {@code add}, which Guava's own suite for it suppresses;
 * {@code StripedMap}'s views reject {@code add} and need no suppression.)
 *
 * <p>{@code CollectionSpliteratorTester.testSpliteratorUnknownOrder} splits every spliterator
 * recursively until {@code trySplit()} returns null. Until the spliterators stopped splitting at one
 * bucket or an empty range, that decomposition never ended on {@code StripedMap} (a run was still in it
 * after ten minutes); {@code StripedMapContractTest.Spliterators#fullRecursiveSplitTerminates} keeps
 * that bounded.
 */
class StripedMapGuavaConformanceTest {

    /** {@code ConcurrentHashMap}'s features in Guava's own {@code TestsForMapsInJavaUtilConcurrent}. */
    static final Feature<?>[] CONCURRENT_HASH_MAP_FEATURES = {
        CollectionSize.ANY,
        MapFeature.GENERAL_PURPOSE,
        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
        CollectionFeature.SERIALIZABLE,
    };

    /** Fewer than this means the suite lost whole testers (1,803 with Guava 33.8). */
    private static final int MIN_TESTS = 1_700;
    /** The same for the Set suite of {@link #newKeySet()} (452 with Guava 33.8). */
    private static final int MIN_SET_TESTS = 400;

    @TestFactory
    Stream<DynamicNode> defaultMap() {
        return suite("StripedMap[default]", stringMaps(StripedMap::new));
    }

    @TestFactory
    Stream<DynamicNode> oneStripe() {
        return suite("StripedMap[stripes=1]", stringMaps(() -> StripedMap.builder().stripes(1).build()));
    }

    /** One entry of capacity spread over 64 stripes: every stripe starts at the smallest table. */
    @TestFactory
    Stream<DynamicNode> tinyInitialCapacity() {
        return suite("StripedMap[initialCapacity=1]", stringMaps(() -> new StripedMap<>(1)));
    }

    /** The {@code (Map)} constructor: a copy must behave like any other map. */
    @TestFactory
    Stream<DynamicNode> copyConstructor() {
        return suite("StripedMap[copy of a Map]", new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                Map<String, String> source = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : entries) {
                    source.put(e.getKey(), e.getValue());
                }
                return new StripedMap<>(source);
            }
        });
    }

    /** {@code ConcurrentHashMap.newKeySet()}'s features: a general-purpose set without null elements or queries. */
    static final Feature<?>[] CONCURRENT_KEY_SET_FEATURES = {
        CollectionSize.ANY,
        SetFeature.GENERAL_PURPOSE,
        CollectionFeature.SERIALIZABLE,
    };

    /** {@link StripedMap#newKeySet()}: the same Set suite as {@code ConcurrentHashMap.newKeySet()} passes. */
    @TestFactory
    Stream<DynamicNode> newKeySet() {
        TestSuite suite = keySetSuite("StripedMap.newKeySet", StripedMap::newKeySet);
        assertThat(suite.countTestCases()).as("tests generated for StripedMap.newKeySet()")
                .isGreaterThan(MIN_SET_TESTS)
                .isEqualTo(keySetSuite("ConcurrentHashMap.newKeySet", ConcurrentHashMap::newKeySet).countTestCases());
        return JUnit3DynamicTests.of(suite);
    }

    private static TestSuite keySetSuite(String name, Supplier<Set<String>> factory) {
        return SetTestSuiteBuilder.using(new TestStringSetGenerator() {
            @Override
            protected Set<String> create(String[] elements) {
                Set<String> set = factory.get();
                Collections.addAll(set, elements);
                return set;
            }
        }).named(name).withFeatures(CONCURRENT_KEY_SET_FEATURES).createTestSuite();
    }

    private static Stream<DynamicNode> suite(String name, TestStringMapGenerator generator) {
        TestSuite suite = ConcurrentMapTestSuiteBuilder.using(generator)
                .named(name)
                .withFeatures(CONCURRENT_HASH_MAP_FEATURES)
                .createTestSuite();
        assertThat(suite.countTestCases()).as("tests generated for %s", name)
                .isGreaterThan(MIN_TESTS)
                .isEqualTo(ConcurrentHashMapReference.TESTS);
        return JUnit3DynamicTests.of(suite);
    }

    /** The size of the same suite built (not run) for {@link ConcurrentHashMap}; computed once. */
    private static final class ConcurrentHashMapReference {
        static final int TESTS = ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                Map<String, String> map = new ConcurrentHashMap<>();
                for (Map.Entry<String, String> e : entries) {
                    map.put(e.getKey(), e.getValue());
                }
                return map;
            }
        }).named("ConcurrentHashMap").withFeatures(CONCURRENT_HASH_MAP_FEATURES).createTestSuite().countTestCases();
    }

    private static TestStringMapGenerator stringMaps(Supplier<StripedMap<String, String>> factory) {
        return new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                StripedMap<String, String> map = factory.get();
                for (Map.Entry<String, String> e : entries) {
                    map.put(e.getKey(), e.getValue());
                }
                return map;
            }
        };
    }
}
