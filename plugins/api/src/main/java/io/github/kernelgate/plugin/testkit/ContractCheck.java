package io.github.kernelgate.plugin.testkit;

/** One rule of the process-proxy contract, checked against a proxy: passed, or what went wrong. */
public record ContractCheck(String name, boolean passed, String detail) {

  static ContractCheck pass(String name) {
    return new ContractCheck(name, true, "");
  }

  static ContractCheck fail(String name, String detail) {
    return new ContractCheck(name, false, detail);
  }

  @Override
  public String toString() {
    return (passed ? "PASS " : "FAIL ") + name + (passed ? "" : ": " + detail);
  }
}
