package io.github.kernelgate.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway certificate authority made with the openssl command, and PEM certificates it signs:
 * one for a server on 127.0.0.1 and one for a client. Valid for two days.
 */
public final class TestCertificates {

  private final Path directory;

  private TestCertificates(Path directory) {
    this.directory = directory;
  }

  /** Makes the CA, the server's certificate ({@code server.pem}, {@code server.key}) and the client's. */
  public static TestCertificates create(Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    TestCertificates made = new TestCertificates(directory);
    made.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=kernelgate test CA");
    made.signed("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    made.signed("client", "/CN=notebook", "extendedKeyUsage=clientAuth\n");
    return made;
  }

  private void signed(String name, String subject, String extensions) throws IOException, InterruptedException {
    Files.writeString(directory.resolve(name + ".ext"), extensions);
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".pem",
        "-days", "2", "-extfile", name + ".ext");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }

  public Path ca() {
    return directory.resolve("ca.pem");
  }

  public Path serverCertificate() {
    return directory.resolve("server.pem");
  }

  public Path serverKey() {
    return directory.resolve("server.key");
  }

  public Path clientCertificate() {
    return directory.resolve("client.pem");
  }

  public Path clientKey() {
    return directory.resolve("client.key");
  }
}
