package io.github.kernelgate.proxy;

import io.github.kernelgate.plugin.ProxyContract;
import io.github.kernelgate.plugin.ProxyPlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-proxy plugins in the jars of one directory ({@code KG_PLUGIN_DIR}), found with
 * {@link ServiceLoader}. All jars share one class loader, so a plugin's own libraries can sit next
 * to it. A plugin is refused, with an error naming its jar and the reason, when it was built for a
 * newer contract, takes a built-in or already taken name, or cannot be instantiated. Blocking.
 */
final class PluginJars {

  private static final Logger LOG = LoggerFactory.getLogger(PluginJars.class);

  private PluginJars() {
  }

  static List<ProxyPlugin> load(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("plugin directory " + directory + " (KG_PLUGIN_DIR) does not exist");
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path jar : files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList()) {
        jars.add(url(jar));
      }
    }
    ClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), PluginJars.class.getClassLoader());
    List<ProxyPlugin> accepted = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Iterator<ProxyPlugin> providers = ServiceLoader.load(ProxyPlugin.class, loader).iterator();
    while (true) {
      ProxyPlugin plugin;
      try {
        if (!providers.hasNext()) {
          break;
        }
        plugin = providers.next();
      } catch (ServiceConfigurationError | LinkageError broken) {
        // A services entry naming a missing class, or a plugin whose constructor fails: the others still load.
        LOG.atError().addKeyValue("plugin_dir", directory.toString()).log("plugin refused: {}", broken.toString());
        continue;
      }
      String jar = jarOf(plugin.getClass());
      try {
        String refusal = refusal(plugin, names);
        if (refusal != null) {
          LOG.atError().addKeyValue("jar", jar).addKeyValue("plugin", plugin.getClass().getName()).log("plugin refused: {}", refusal);
          continue;
        }
        names.add(plugin.proxyName());
        accepted.add(plugin);
        LOG.atInfo().addKeyValue("jar", jar).addKeyValue("proxy", plugin.proxyName()).addKeyValue("contract_version", plugin.contractVersion())
            .log("plugin found");
      } catch (RuntimeException | LinkageError broken) {
        LOG.atError().addKeyValue("jar", jar).addKeyValue("plugin", plugin.getClass().getName()).log("plugin refused: {}", broken.toString());
      }
    }
    return accepted;
  }

  private static String refusal(ProxyPlugin plugin, Set<String> taken) {
    String name = plugin.proxyName();
    if (plugin.contractVersion() > ProxyContract.VERSION || plugin.contractVersion() < 1) {
      return "built for contract version " + plugin.contractVersion() + "; this gateway speaks version " + ProxyContract.VERSION;
    }
    if (!ProxyNames.isFreeForPlugins(name)) {
      return "proxy name '" + name + "' is not usable (letters, digits, '.', '_', '-') or belongs to a built-in proxy";
    }
    if (taken.contains(name)) {
      return "another plugin already answers as '" + name + "'";
    }
    return null;
  }

  private static URL url(Path jar) throws IOException {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException impossible) {
      throw new IOException(impossible);
    }
  }

  private static String jarOf(Class<?> type) {
    var source = type.getProtectionDomain().getCodeSource();
    return source == null ? "?" : source.getLocation().getPath();
  }
}
