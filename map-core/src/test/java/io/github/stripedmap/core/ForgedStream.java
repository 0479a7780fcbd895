package io.github.stripedmap.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds hostile serialization streams. {@link #forge} serializes a <em>stand-in</em> object (a test class
 * with the same serializable fields as the target and a {@code writeObject} that writes whatever the test
 * wants) under the target class's own descriptor, so the stream reads back as the target with forged
 * custom data; {@link #patch} and {@link #truncate} doctor the bytes of a genuine stream. Public so that
 * map-concurrent's tests reuse it.
 */
public final class ForgedStream {

  private ForgedStream() { }

  /** What a stand-in writes after its default fields. */
  @FunctionalInterface
  public interface Body {
    /**
     * @param out the stream, in its custom-data section
     * @throws IOException from the stream
     */
    void write(ObjectOutputStream out) throws IOException;
  }

  /**
   * Serializes {@code standIn} so that the stream names {@code target} as its class.
   *
   * @param target  the class the stream claims (its descriptor is written)
   * @param standIn an object whose serializable fields match the target's, in number, order and size
   * @return the stream's bytes
   * @throws IOException never, in practice
   */
  public static byte[] forge(Class<?> target, Serializable standIn) throws IOException {
    ObjectStreamClass targetDescriptor = ObjectStreamClass.lookup(target);
    String standInName = standIn.getClass().getName();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
      @Override
      protected void writeClassDescriptor(ObjectStreamClass descriptor) throws IOException {
        super.writeClassDescriptor(descriptor.getName().equals(standInName) ? targetDescriptor : descriptor);
      }
    }) {
      out.writeObject(standIn);
    }
    return bytes.toByteArray();
  }

  /**
   * @param object a serializable object
   * @return its genuine serialized form
   * @throws IOException if it cannot be serialized
   */
  public static byte[] serialize(Object object) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    return bytes.toByteArray();
  }

  /**
   * @param bytes a stream
   * @return the object it holds
   * @throws IOException            as {@link ObjectInputStream#readObject()}
   * @throws ClassNotFoundException as {@link ObjectInputStream#readObject()}
   */
  public static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }

  /**
   * @param bytes  a stream
   * @param length bytes to keep
   * @return its first {@code length} bytes
   */
  public static byte[] truncate(byte[] bytes, int length) {
    return Arrays.copyOf(bytes, length);
  }

  /**
   * Replaces the only occurrence of {@code find} in {@code bytes}.
   *
   * @param bytes   a stream
   * @param find    the bytes to replace (must occur exactly once)
   * @param replace bytes of the same length
   * @return the patched copy
   */
  public static byte[] patch(byte[] bytes, byte[] find, byte[] replace) {
    if (find.length != replace.length) {
      throw new IllegalArgumentException("a patch must keep the length");
    }
    int at = indexOf(bytes, find, 0);
    if (at < 0 || indexOf(bytes, find, at + 1) >= 0) {
      throw new IllegalArgumentException("the bytes to patch must occur exactly once");
    }
    byte[] copy = bytes.clone();
    System.arraycopy(replace, 0, copy, at, replace.length);
    return copy;
  }

  /**
   * The descriptor bytes of a field: type code, then the name in modified UTF-8.
   *
   * @param typeCode the field's type code ({@code 'I'} for int...)
   * @param name     the field's name (ASCII)
   * @return the bytes
   */
  public static byte[] fieldDescriptor(char typeCode, String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[3 + n.length];
    out[0] = (byte) typeCode;
    out[1] = (byte) (n.length >>> 8);
    out[2] = (byte) n.length;
    System.arraycopy(n, 0, out, 3, n.length);
    return out;
  }

  private static int indexOf(byte[] bytes, byte[] find, int from) {
    outer:
    for (int i = from; i <= bytes.length - find.length; i++) {
      for (int j = 0; j < find.length; j++) {
        if (bytes[i + j] != find[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
