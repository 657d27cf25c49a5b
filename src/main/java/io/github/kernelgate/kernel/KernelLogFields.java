package io.github.kernelgate.kernel;

import org.slf4j.spi.LoggingEventBuilder;

/** What every lifecycle log line about a kernel carries as fields: its id, its user and its proxy. */
final class KernelLogFields {

  private KernelLogFields() {
  }

  static LoggingEventBuilder about(LoggingEventBuilder event, ManagedKernel kernel) {
    return event.addKeyValue("kernel_id", kernel.id).addKeyValue("user", kernel.username).addKeyValue("proxy", kernel.proxyName);
  }
}
