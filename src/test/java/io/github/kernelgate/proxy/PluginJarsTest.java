package io.github.kernelgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.plugin.ProxyPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars made here (compiled with the JDK's compiler): a good one loads; one built for a
 * newer contract, one taking a built-in name, a second one taking a taken name, one whose
 * constructor throws and a services entry naming a missing class are refused without stopping
 * the others.
 */
class PluginJarsTest {

  @TempDir
  Path work;

  /** A ProxyPlugin named {@code name}, of contract {@code version}, whose constructor runs {@code constructorBody}. */
  private static String plugin(String className, String name, int version, String constructorBody) {
    return """
        package acme;
        public class %s implements io.github.kernelgate.plugin.ProxyPlugin {
          public %s() { %s }
          public String proxyName() { return "%s"; }
          public int contractVersion() { return %d; }
          public io.github.kernelgate.plugin.ProcessProxy createProxy(io.vertx.core.Vertx vertx) { return null; }
        }
        """.formatted(className, className, constructorBody, name, version);
  }

  /** Compiles {@code sources} (class name to source) into a jar whose services file lists {@code services}. */
  private Path jar(String jarName, Map<String, String> sources, List<String> services) throws IOException {
    Path sourceDir = Files.createDirectories(work.resolve(jarName + "-src/acme"));
    Path classes = Files.createDirectories(work.resolve(jarName + "-classes"));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Files.writeString(sourceDir.resolve(source.getKey() + ".java"), source.getValue());
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
    sources.keySet().forEach(className -> args.add(sourceDir.resolve(className + ".java").toString()));
    assertThat(compiler.run(null, null, null, args.toArray(String[]::new))).as("compiled").isZero();
    Path jar = Files.createDirectories(work.resolve("plugins")).resolve(jarName + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/" + ProxyPlugin.class.getName()));
      out.write(String.join("\n", services).getBytes());
      for (String className : sources.keySet()) {
        out.putNextEntry(new JarEntry("acme/" + className + ".class"));
        out.write(Files.readAllBytes(classes.resolve("acme/" + className + ".class")));
      }
    }
    return jar;
  }

  @Test
  void loadsTheGoodPluginsAndRefusesTheOthers() throws Exception {
    // Jars load in name order: the good one comes first, so its twin is the one refused.
    jar("a-good", Map.of("Good", plugin("Good", "acme.Good", 1, "")), List.of("acme.Good"));
    jar("b-bad", Map.of(
            "Future", plugin("Future", "acme.Future", 99, ""),
            "Builtin", plugin("Builtin", "docker", 1, ""),
            "Twin", plugin("Twin", "acme.Good", 1, ""),
            "Throws", plugin("Throws", "acme.Throws", 1, "throw new IllegalStateException(\"no config\");")),
        List.of("acme.Future", "acme.Builtin", "acme.Missing", "acme.Throws", "acme.Twin"));

    List<ProxyPlugin> loaded = PluginJars.load(work.resolve("plugins"));

    assertThat(loaded).extracting(plugin -> plugin.getClass().getName()).containsExactly("acme.Good");
  }

  @Test
  void anEmptyDirectoryLoadsNothingAndAMissingOneIsAnError() throws Exception {
    assertThat(PluginJars.load(Files.createDirectories(work.resolve("empty")))).isEmpty();
    assertThatThrownBy(() -> PluginJars.load(work.resolve("absent"))).isInstanceOf(IOException.class).hasMessageContaining("KG_PLUGIN_DIR");
  }
}
