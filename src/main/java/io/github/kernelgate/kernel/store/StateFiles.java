package io.github.kernelgate.kernel.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files of the state directory: the directory readable by the gateway's user alone (records hold
 * kernels' keys), and files written whole to a temporary file and moved into place, so a crash
 * mid-write leaves the old content or the new one, never half of one.
 */
final class StateFiles {

  private StateFiles() {
  }

  static void ensureDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      restrict(directory, "rwx------");
    }
  }

  static void writeAtomically(Path target, String content) throws IOException {
    Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    restrict(temporary, "rw-------");
    try {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException notAtomic) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void restrict(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: the directory's own protection is all there is.
    }
  }
}
