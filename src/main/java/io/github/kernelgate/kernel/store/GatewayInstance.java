package io.github.kernelgate.kernel.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who a gateway is across its restarts: the owner of one state directory. The id is made at the
 * first start and kept in that directory (or given by KG_INSTANCE_ID); kernel containers, services
 * and local process records carry it, so a gateway only ever takes over or removes kernels of its
 * own instance, never those of another gateway on the same Docker engine or host. One process at a
 * time holds the directory (an OS file lock, released even by SIGKILL): a second gateway on the
 * same state directory would take over the first one's kernels, so it is refused at start.
 * Blocking file I/O: claim on a worker or before Vert.x starts.
 */
public final class GatewayInstance implements AutoCloseable {

  private static final String ID_FILE = "instance-id";
  private static final String LOCK_FILE = "instance.lock";
  private static final Pattern STORED_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private final String id;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private GatewayInstance(String id, FileChannel lockChannel, FileLock lock) {
    this.id = id;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Claims {@code stateDirectory} for this process; {@code configuredId} (KG_INSTANCE_ID) wins over
   * the stored id when not blank. Fails with a message naming the directory if another gateway holds it.
   */
  public static GatewayInstance claim(Path stateDirectory, String configuredId) throws IOException {
    StateFiles.ensureDirectory(stateDirectory);
    FileChannel channel = FileChannel.open(stateDirectory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldInThisProcess) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("the state directory " + stateDirectory + " is in use by another gateway: give each gateway its own"
          + " KG_STATE_DIR (a second gateway on the same one would take over the first one's kernels)");
    }
    try {
      String id = configuredId == null || configuredId.isBlank() ? storedOrNewId(stateDirectory) : configuredId;
      return new GatewayInstance(id, channel, lock);
    } catch (IOException | RuntimeException failed) {
      channel.close();
      throw failed;
    }
  }

  private static String storedOrNewId(Path stateDirectory) throws IOException {
    Path file = stateDirectory.resolve(ID_FILE);
    if (Files.exists(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!STORED_ID.matcher(stored).matches()) {
        throw new IOException(file + " does not hold an instance id (1-63 letters, digits, '.', '_' or '-'): fix or delete it");
      }
      return stored;
    }
    String made = "kg-" + UUID.randomUUID().toString().substring(0, 8);
    StateFiles.writeAtomically(file, made + "\n");
    return made;
  }

  public String id() {
    return id;
  }

  /** Releases the state directory (a graceful stop; a killed process releases it with its death). */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
