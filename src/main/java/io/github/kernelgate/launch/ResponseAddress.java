package io.github.kernelgate.launch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses the address advertised to kernels for the handshake: EG_RESPONSE_IP when set, else
 * the first non-loopback IPv4 address not matching an EG_PROHIBITED_LOCAL_IPS regex (the first
 * one if all are prohibited, loopback if there is none).
 */
final class ResponseAddress {

  private ResponseAddress() {
  }

  static String choose(String configured, List<String> prohibited) {
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    List<String> candidates = localIpv4Addresses();
    if (candidates.isEmpty()) {
      return "127.0.0.1";
    }
    List<Pattern> patterns = prohibited.stream().map(Pattern::compile).toList();
    return candidates.stream().filter(ip -> patterns.stream().noneMatch(pattern -> pattern.matcher(ip).matches()))
        .findFirst().orElse(candidates.get(0));
  }

  private static List<String> localIpv4Addresses() {
    List<String> addresses = new ArrayList<>();
    try {
      // In interface order (eth0 first): in a container that is the network attached first.
      List<NetworkInterface> interfaces = new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
      interfaces.sort(java.util.Comparator.comparingInt(NetworkInterface::getIndex));
      for (NetworkInterface network : interfaces) {
        if (!network.isUp() || network.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(network.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            addresses.add(address.getHostAddress());
          }
        }
      }
    } catch (SocketException unreadable) {
      return List.of();
    }
    return addresses;
  }
}
