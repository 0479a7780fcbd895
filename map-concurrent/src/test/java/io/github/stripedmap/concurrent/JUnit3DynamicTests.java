package io.github.stripedmap.concurrent;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import junit.framework.AssertionFailedError;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs a JUnit 3 {@link Test} (typically a Guava testlib suite built by {@code MapTestSuiteBuilder}) as
 * JUnit Jupiter dynamic tests, without the vintage engine.
 *
 * <p>Usage: {@code @TestFactory Stream<DynamicNode> guava() { return JUnit3DynamicTests.of(suite); }}.
 * Every {@link TestSuite} becomes a {@link DynamicContainer} with the suite's name; every {@link TestCase}
 * becomes a {@link DynamicTest} that calls {@link TestCase#runBare()} (setUp, test method, tearDown), so a
 * failure surfaces with its original exception and stack trace. Any other kind of {@link Test} is run
 * against a fresh {@link TestResult} and its first failure or error is rethrown.
 *
 * <p>The tree is built lazily from the suite's current content, in order; nothing here depends on the
 * code under test, so the class can be copied as is into a shared test-support module.
 */
public final class JUnit3DynamicTests {

  private JUnit3DynamicTests() {}

  /** The suite's children as dynamic nodes (the suite itself is not wrapped in a further container). */
  public static Stream<DynamicNode> of(Test test) {
    if (test instanceof TestSuite suite) {
      return children(suite).stream().map(JUnit3DynamicTests::node);
    }
    return Stream.of(node(test));
  }

  private static DynamicNode node(Test test) {
    if (test instanceof TestSuite suite) {
      String name = suite.getName() == null ? suite.getClass().getSimpleName() : suite.getName();
      return DynamicContainer.dynamicContainer(name, children(suite).stream().map(JUnit3DynamicTests::node));
    }
    if (test instanceof TestCase testCase) {
      return DynamicTest.dynamicTest(displayName(testCase), source(testCase), testCase::runBare);
    }
    return DynamicTest.dynamicTest(String.valueOf(test), () -> runGeneric(test));
  }

  private static List<Test> children(TestSuite suite) {
    List<Test> result = new ArrayList<>(suite.testCount());
    for (Test child : Collections.list(suite.tests())) {
      result.add(child);
    }
    return result;
  }

  /**
   * {@code toString()} of a Guava tester is {@code "method[generator description]"}: more informative than
   * {@link TestCase#getName()} alone, and still short enough for a report line.
   */
  private static String displayName(TestCase testCase) {
    String name = testCase.toString();
    return name == null || name.isEmpty() ? testCase.getClass().getSimpleName() : name;
  }

  /** A {@code method:} source so that IDEs and reports can jump to the tester method. */
  private static URI source(TestCase testCase) {
    String method = testCase.getName();
    if (method == null || !method.matches("[\\p{javaJavaIdentifierPart}$]+")) {
      return null;
    }
    return URI.create("method:" + testCase.getClass().getName() + "#" + method);
  }

  private static void runGeneric(Test test) throws Throwable {
    TestResult result = new TestResult();
    test.run(result);
    for (TestFailure failure : Collections.list(result.errors())) {
      throw failure.thrownException();
    }
    for (TestFailure failure : Collections.list(result.failures())) {
      throw failure.thrownException();
    }
    if (result.runCount() == 0 && test.countTestCases() > 0) {
      throw new AssertionFailedError("JUnit 3 test ran nothing: " + test);
    }
  }
}
