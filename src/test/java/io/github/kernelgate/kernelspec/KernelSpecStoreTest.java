package io.github.kernelgate.kernelspec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the kernelspec search order, name matching and what is skipped. */
class KernelSpecStoreTest {

  private static void spec(Path kernels, String name, String displayName) throws Exception {
    Path dir = Files.createDirectories(kernels.resolve(name));
    Files.writeString(dir.resolve("kernel.json"), "{\"argv\": [\"x\"], \"display_name\": \"" + displayName + "\", \"language\": \"python\"}");
  }

  @Test
  void configuredDirectoriesComeBeforeJupyterPathAndFirstNameWins(@TempDir Path root) throws Exception {
    Path configured = root.resolve("configured");
    Path jupyter = root.resolve("jupyter");
    spec(configured, "shared", "from configured");
    spec(jupyter.resolve("kernels"), "shared", "from jupyter path");
    spec(jupyter.resolve("kernels"), "only_jupyter", "jupyter only");
    KernelSpecStore store = new KernelSpecStore(KernelSpecStore.searchPath(List.of(configured.toString()), jupyter.toString(), root.toString()));
    assertThat(store.findAll()).containsKeys("shared", "only_jupyter");
    assertThat(store.find("shared").orElseThrow().displayName()).isEqualTo("from configured");
    assertThat(store.find("ONLY_JUPYTER")).isPresent();
  }

  @Test
  void brokenSpecsAreSkipped(@TempDir Path root) throws Exception {
    Path dir = Files.createDirectories(root.resolve("broken"));
    Files.writeString(dir.resolve("kernel.json"), "{not json");
    Files.createDirectories(root.resolve("empty"));
    spec(root, "good", "Good");
    KernelSpecStore store = new KernelSpecStore(List.of(root));
    assertThat(store.findAll()).containsOnlyKeys("good");
  }

  @Test
  void resourcesAreLogosAndKernelJsOnly(@TempDir Path root) throws Exception {
    spec(root, "withlogo", "Logo");
    Files.write(root.resolve("withlogo/logo-64x64.png"), new byte[] {1});
    Files.writeString(root.resolve("withlogo/kernel.js"), "//");
    Files.writeString(root.resolve("withlogo/notes.txt"), "x");
    KernelSpec spec = new KernelSpecStore(List.of(root)).find("withlogo").orElseThrow();
    assertThat(spec.resourceFiles()).containsExactly("kernel.js", "logo-64x64.png");
    assertThat(spec.toModel("/base/").getJsonObject("resources").getString("logo-64x64")).isEqualTo("/base/kernelspecs/withlogo/logo-64x64.png");
  }
}
