package io.github.kernelgate.kernelspec;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which specs may be used, and by whom: EG_ALLOWED_KERNELS, the global EG_UNAUTHORIZED_USERS /
 * EG_AUTHORIZED_USERS and each spec's {@code unauthorized_users} (added to the global list) and
 * {@code authorized_users} (replaces it). User names are compared exactly.
 */
public final class SpecAccess {

  private final List<String> allowedKernels;
  private final List<String> unauthorizedUsers;
  private final List<String> authorizedUsers;

  public SpecAccess(List<String> allowedKernels, List<String> unauthorizedUsers, List<String> authorizedUsers) {
    this.allowedKernels = List.copyOf(allowedKernels);
    this.unauthorizedUsers = List.copyOf(unauthorizedUsers);
    this.authorizedUsers = List.copyOf(authorizedUsers);
  }

  public boolean isAllowed(KernelSpec spec) {
    return allowedKernels.isEmpty() || allowedKernels.stream().anyMatch(name -> name.equalsIgnoreCase(spec.name()));
  }

  public boolean isUnauthorized(String user, KernelSpec spec) {
    Set<String> users = new HashSet<>(unauthorizedUsers);
    users.addAll(split(spec.proxyConfig().getString("unauthorized_users", "")));
    return users.contains(user);
  }

  /** False when an authorized-users list applies and lacks the user. */
  public boolean isAuthorized(String user, KernelSpec spec) {
    String specList = spec.proxyConfig().getString("authorized_users");
    Set<String> users = specList != null ? split(specList) : new HashSet<>(authorizedUsers);
    return users.isEmpty() || users.contains(user);
  }

  public boolean isVisibleTo(String user, KernelSpec spec) {
    return !isUnauthorized(user, spec) && isAuthorized(user, spec);
  }

  private static Set<String> split(String commaList) {
    Set<String> users = new HashSet<>();
    Arrays.stream(commaList.split(",")).map(String::trim).filter(user -> !user.isEmpty()).forEach(users::add);
    return users;
  }
}
