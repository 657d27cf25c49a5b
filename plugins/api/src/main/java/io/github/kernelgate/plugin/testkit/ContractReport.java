package io.github.kernelgate.plugin.testkit;

import java.util.List;
import java.util.stream.Collectors;

/** What {@link ContractKit#run()} found: every check, in the order they ran. */
public record ContractReport(String proxyName, List<ContractCheck> checks) {

  public ContractReport {
    checks = List.copyOf(checks);
  }

  public boolean passed() {
    return checks.stream().allMatch(ContractCheck::passed);
  }

  public List<ContractCheck> failures() {
    return checks.stream().filter(check -> !check.passed()).toList();
  }

  /** Whether the check of this name ran and failed. */
  public boolean failed(String checkName) {
    return failures().stream().anyMatch(check -> check.name().equals(checkName));
  }

  /** One line per check: what a failing test should print. */
  @Override
  public String toString() {
    return "contract of process proxy '" + proxyName + "':\n"
        + checks.stream().map(check -> "  " + check).collect(Collectors.joining("\n"));
  }
}
