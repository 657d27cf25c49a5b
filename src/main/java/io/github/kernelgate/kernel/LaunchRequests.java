package io.github.kernelgate.kernel;

import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.proxy.ArgvTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How a kernel spec becomes a proxy's launch request: its argv with the lifecycle's placeholders filled in. */
public final class LaunchRequests {

  private LaunchRequests() {
  }

  public static LaunchRequest forSpec(KernelSpec spec, String kernelId, String launchId, Map<String, String> env, String path,
                                      long launchTimeoutMillis) {
    Map<String, String> values = new HashMap<>();
    values.put("kernel_id", kernelId);
    values.put("kernel_name", spec.name());
    values.put("resource_dir", spec.directory().toString());
    if (path != null) {
      values.put("path", path);
    }
    List<String> argv = ArgvTemplate.substitute(spec.argv(), values);
    return new LaunchRequest(kernelId, launchId, spec.name(), argv, env, path, spec.directory().toString(), launchTimeoutMillis,
        spec.json());
  }
}
