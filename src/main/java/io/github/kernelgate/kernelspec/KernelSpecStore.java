package io.github.kernelgate.kernelspec;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds kernelspecs, in this order (the first spec of a name wins): the configured directories
 * (the repository's {@code kernelspecs/} by default), {@code <dir>/kernels} for each
 * JUPYTER_PATH entry, then the standard Jupyter data directories. Reads the disk on every call,
 * so edits show up at once. Blocking: call from a worker.
 */
public final class KernelSpecStore {

  private static final Logger LOG = LoggerFactory.getLogger(KernelSpecStore.class);

  private final List<Path> searchPath;

  public KernelSpecStore(List<Path> searchPath) {
    this.searchPath = List.copyOf(searchPath);
  }

  /** The search path for configured directories, a JUPYTER_PATH value and the user's home. */
  public static List<Path> searchPath(List<String> configuredDirs, String jupyterPath, String home) {
    List<Path> path = new ArrayList<>();
    configuredDirs.forEach(dir -> path.add(Path.of(dir).toAbsolutePath()));
    if (jupyterPath != null) {
      for (String entry : jupyterPath.split(":")) {
        if (!entry.isBlank()) {
          path.add(Path.of(entry, "kernels"));
        }
      }
    }
    path.add(Path.of(home, ".local", "share", "jupyter", "kernels"));
    path.add(Path.of("/usr/local/share/jupyter/kernels"));
    path.add(Path.of("/usr/share/jupyter/kernels"));
    return path;
  }

  public List<Path> searchPath() {
    return searchPath;
  }

  /** All specs by name, in search-path order. Specs that fail to load are skipped and logged. */
  public Map<String, KernelSpec> findAll() {
    Map<String, KernelSpec> specs = new LinkedHashMap<>();
    for (Path dir : searchPath) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> children = Files.list(dir)) {
        children.sorted().filter(Files::isDirectory).forEach(child -> {
          String name = child.getFileName().toString().toLowerCase(Locale.ROOT);
          if (!specs.containsKey(name)) {
            load(name, child).ifPresent(spec -> specs.put(name, spec));
          }
        });
      } catch (IOException e) {
        LOG.atWarn().addKeyValue("dir", dir).log("cannot list kernelspec directory: {}", e.getMessage());
      }
    }
    return specs;
  }

  /** The spec of that name, matched case-insensitively. */
  public Optional<KernelSpec> find(String name) {
    return Optional.ofNullable(findAll().get(name.toLowerCase(Locale.ROOT)));
  }

  private static Optional<KernelSpec> load(String name, Path dir) {
    Path file = dir.resolve("kernel.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      List<String> resources = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
            .filter(fileName -> fileName.startsWith("logo-") || fileName.equals("kernel.js") || fileName.equals("kernel.css"))
            .sorted().forEach(resources::add);
      }
      return Optional.of(new KernelSpec(name, dir.toRealPath(), json, resources));
    } catch (IOException | DecodeException | ClassCastException e) {
      LOG.atWarn().addKeyValue("dir", dir).log("kernelspec skipped: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
