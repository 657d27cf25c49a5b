package io.github.kernelgate.protocol;

import java.util.List;

/**
 * One Jupyter message as its serialized parts, exactly as they travel on ZMQ after the
 * signature: header, parent header, metadata, content (UTF-8 JSON each) and raw buffers.
 * Parts are never re-serialized on the hot path, so a signature stays valid over the same bytes.
 * The arrays are shared, not copied: nobody may modify them.
 */
public record WireMessage(byte[] header, byte[] parentHeader, byte[] metadata, byte[] content, List<byte[]> buffers) {

  public WireMessage {
    buffers = List.copyOf(buffers);
  }

  public boolean hasBuffers() {
    return !buffers.isEmpty();
  }

  /** Bytes of all parts, for accounting of queued output. */
  public long size() {
    long size = (long) header.length + parentHeader.length + metadata.length + content.length;
    for (byte[] buffer : buffers) {
      size += buffer.length;
    }
    return size;
  }
}
