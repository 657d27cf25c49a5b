#!/usr/bin/env python3
"""KernelGate kernel launcher.

Runs inside a kernel's container (or as a local process) and connects the kernel back to the
gateway that asked for it, speaking Enterprise Gateway's launch handshake:

1. pick free ports inside PORT_RANGE for the kernel's five ZMQ sockets and for a comm port,
2. write a Jupyter connection file and start the kernel named by a kernelspec-style argv
   ({connection_file} is substituted; ipykernel by default, any Jupyter kernel otherwise),
3. send the connection info, encrypted for the gateway's public key, to RESPONSE_ADDRESS,
4. serve the comm port: {"signum": N} signals the kernel, {"shutdown": 1} stops listening and
   ends the kernel if it has not exited KERNEL_SHUTDOWN_GRACE seconds (5) later,
5. forward termination signals to the kernel and exit with it.

Parameters come from arguments or the environment (KERNEL_ID, RESPONSE_ADDRESS, PUBLIC_KEY,
PORT_RANGE, KERNEL_ARGV as a JSON list, KERNEL_LAUNCH_SECRET: a one-time secret returned inside the
encrypted payload so the gateway can tell it from a forged one; the kernel never sees it). EG's option spellings (--RemoteProcessProxy.kernel-id
...) are accepted too. Needs only the standard library plus Debian's python3-cryptography (or
python3-pycryptodome).
"""

import argparse
import base64
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid

LOG = logging.getLogger("kernelgate-launcher")

DEFAULT_KERNEL_ARGV = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
KERNEL_PORT_NAMES = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"]
FORWARDED_SIGNALS = [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2]
MAX_COMM_REQUEST_BYTES = 64 * 1024


class LaunchError(Exception):
    """A problem the launcher reports and exits on, with a message for the kernel's log."""


# ---------------------------------------------------------------------------- parameters

def parse_args(argv, env):
    """Options from argv, falling back to the environment; the kernel argv follows '--'."""
    parser = argparse.ArgumentParser(prog="kernelgate_launcher", description="Connects a Jupyter kernel back to KernelGate.")
    for name in ["kernel-id", "response-address", "public-key", "port-range", "spark-context-initialization-mode",
                 "kernel-class-name"]:
        dest = name.replace("-", "_")
        parser.add_argument("--" + name, dest=dest)
        parser.add_argument("--RemoteProcessProxy." + name, dest="eg_" + dest, help=argparse.SUPPRESS)
    parser.add_argument("--kernel-argv", help="the kernel's argv as a JSON list (default: ipykernel)")
    parser.add_argument("--connection-dir", help="where to write the connection file (default: a temporary directory)")
    own, _, kernel_argv = _split_on_double_dash(argv)
    args, unknown = parser.parse_known_args(own)
    if unknown:
        LOG.warning("ignoring unknown options %s", unknown)

    def pick(name, env_name, default=None):
        value = getattr(args, name) or getattr(args, "eg_" + name, None) or env.get(env_name)
        return value if value not in (None, "") else default

    if not kernel_argv:
        text = args.kernel_argv or env.get("KERNEL_ARGV")
        kernel_argv = json.loads(text) if text else list(DEFAULT_KERNEL_ARGV)
        class_name = pick("kernel_class_name", "KERNEL_CLASS_NAME")
        if class_name and not text:
            kernel_argv.append("--IPKernelApp.kernel_class=" + class_name)
    if not isinstance(kernel_argv, list) or not kernel_argv or not all(isinstance(a, str) for a in kernel_argv):
        raise LaunchError("the kernel argv must be a non-empty list of strings")
    config = argparse.Namespace(
        kernel_id=pick("kernel_id", "KERNEL_ID"),
        response_address=pick("response_address", "RESPONSE_ADDRESS"),
        public_key=pick("public_key", "PUBLIC_KEY"),
        port_range=pick("port_range", "PORT_RANGE", "0..0"),
        connection_dir=args.connection_dir or env.get("KERNEL_CONNECTION_DIR"),
        launch_secret=env.get("KERNEL_LAUNCH_SECRET") or None,
        kernel_argv=kernel_argv,
        min_port_range_size=int(env.get("EG_MIN_PORT_RANGE_SIZE", env.get("MIN_PORT_RANGE_SIZE", "1000"))),
        port_retries=int(env.get("EG_MAX_PORT_RANGE_RETRIES", env.get("MAX_PORT_RANGE_RETRIES", "5"))))
    if not config.kernel_id:
        raise LaunchError("a kernel id is required (--kernel-id or KERNEL_ID)")
    if config.response_address and not config.public_key:
        raise LaunchError("a public key is required with a response address (--public-key or PUBLIC_KEY)")
    return config


def _split_on_double_dash(argv):
    if "--" in argv:
        index = argv.index("--")
        return argv[:index], "--", argv[index + 1:]
    return argv, None, []


def parse_port_range(text, min_size):
    """'lower..upper' as a pair; '0..0' means any free port. Narrow or invalid ranges are refused."""
    parts = text.split("..")
    if len(parts) != 2:
        raise LaunchError("port range '%s' is not of the form lower..upper" % text)
    try:
        lower, upper = int(parts[0]), int(parts[1])
    except ValueError:
        raise LaunchError("port range '%s' is not of the form lower..upper" % text)
    if (lower, upper) == (0, 0):
        return lower, upper
    if not 1024 <= lower < upper <= 65535:
        raise LaunchError("port range '%s' must lie within 1024..65535 with lower < upper" % text)
    if upper - lower < min_size:
        raise LaunchError("port range '%s' is narrower than the minimum of %d ports" % (text, min_size))
    return lower, upper


def parse_response_address(text):
    host, separator, port = text.rpartition(":")
    if not separator or not host or not port.isdigit():
        raise LaunchError("response address '%s' is not host:port" % text)
    return host, int(port)


# ---------------------------------------------------------------------------- ports and files

def bind_port(port_range, retries, rng=random):
    """A TCP socket bound on all interfaces to a free port inside the range (any port for 0..0)."""
    lower, upper = port_range
    attempts = 1 if (lower, upper) == (0, 0) else retries + 1
    last_error = None
    for _ in range(attempts):
        port = 0 if (lower, upper) == (0, 0) else rng.randint(lower, upper)
        candidate = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            candidate.bind(("0.0.0.0", port))
            return candidate
        except OSError as error:
            candidate.close()
            last_error = error
    raise LaunchError("no free port in range %d..%d after %d attempts: %s" % (lower, upper, attempts, last_error))


def allocate_ports(port_range, count, retries):
    """Binds `count` distinct ports and returns the bound sockets (the caller releases them)."""
    sockets = []
    try:
        while len(sockets) < count:
            sockets.append(bind_port(port_range, retries))
        return sockets
    except Exception:
        for held in sockets:
            held.close()
        raise


def write_connection_file(directory, kernel_id, ports, key):
    info = dict(zip(KERNEL_PORT_NAMES, ports))
    info.update({"ip": "0.0.0.0", "key": key, "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": ""})
    descriptor, path = tempfile.mkstemp(prefix="kernel-%s-" % kernel_id, suffix=".json", dir=directory)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(info, handle)
    return path, info


# ---------------------------------------------------------------------------- handshake payload

def _public_key_der(public_key):
    lines = [line.strip() for line in public_key.strip().splitlines() if line.strip() and not line.startswith("-----")]
    return base64.b64decode("".join(lines))


def encrypt_payload(connection_info, public_key):
    """Version-1 payload: AES-128-ECB (PKCS#7) of the JSON, its key RSA-PKCS#1-v1.5-encrypted, all base64."""
    plain = json.dumps(connection_info).encode("utf-8")
    aes_key = os.urandom(16)
    encrypted_info, encrypted_key = _encrypt(plain, aes_key, _public_key_der(public_key))
    envelope = {"version": 1, "key": base64.b64encode(encrypted_key).decode("ascii"),
                "conn_info": base64.b64encode(encrypted_info).decode("ascii")}
    return base64.b64encode(json.dumps(envelope).encode("utf-8"))


def _encrypt(plain, aes_key, public_key_der):
    padding_length = 16 - len(plain) % 16
    padded = plain + bytes([padding_length]) * padding_length
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        encryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).encryptor()
        encrypted_info = encryptor.update(padded) + encryptor.finalize()
        public_key = serialization.load_der_public_key(public_key_der)
        return encrypted_info, public_key.encrypt(aes_key, padding.PKCS1v15())
    except ImportError:
        from Cryptodome.Cipher import AES, PKCS1_v1_5
        from Cryptodome.PublicKey import RSA
        encrypted_info = AES.new(aes_key, AES.MODE_ECB).encrypt(padded)
        return encrypted_info, PKCS1_v1_5.new(RSA.import_key(public_key_der)).encrypt(aes_key)


def send_payload(response_address, payload, timeout=30):
    host, port = parse_response_address(response_address)
    with socket.create_connection((host, port), timeout=timeout) as connection:
        connection.sendall(payload)
        connection.shutdown(socket.SHUT_WR)


# ---------------------------------------------------------------------------- comm port

class CommListener(threading.Thread):
    """Serves the comm port: one JSON request per connection, read to EOF, never answered.

    {"shutdown": 1} closes the port; `on_shutdown` then makes sure the kernel really ends.
    """

    def __init__(self, server_socket, kernel_pid, on_shutdown=None):
        super().__init__(name="comm-port", daemon=True)
        self.server_socket = server_socket
        self.kernel_pid = kernel_pid
        self.on_shutdown = on_shutdown
        self.stopped = threading.Event()
        server_socket.listen(8)
        server_socket.settimeout(0.5)

    @property
    def port(self):
        return self.server_socket.getsockname()[1]

    def run(self):
        while not self.stopped.is_set():
            try:
                connection, peer = self.server_socket.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            with connection:
                self.handle(connection, peer)
        self.server_socket.close()

    def handle(self, connection, peer):
        connection.settimeout(5)
        data = b""
        try:
            while len(data) <= MAX_COMM_REQUEST_BYTES:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                data += chunk
            request = json.loads(data.decode("utf-8"))
            if not isinstance(request, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as error:
            LOG.warning("comm request from %s ignored: %s", peer[0], error)
            return
        self.apply(request)

    def apply(self, request):
        signum = request.get("signum")
        if isinstance(signum, int) and not isinstance(signum, bool) and signum > 0:
            try:
                os.kill(self.kernel_pid, signum)
                LOG.info("signal %d sent to the kernel", signum)
            except (ProcessLookupError, OSError, ValueError) as error:
                LOG.warning("signal %d not delivered: %s", signum, error)
        if request.get("shutdown") == 1:
            LOG.info("shutdown requested: the comm port closes")
            self.stopped.set()
            if self.on_shutdown is not None:
                self.on_shutdown()


# ---------------------------------------------------------------------------- process

def drop_privileges(env):
    """When started as root with KERNEL_UID set, run the kernel as that user (and KERNEL_GID)."""
    uid_text = env.get("KERNEL_UID")
    if os.getuid() != 0 or not uid_text:
        return
    uid = int(uid_text)
    gid = int(env.get("KERNEL_GID", "100"))
    if uid == 0:
        return
    os.setgroups([gid])
    os.setgid(gid)
    os.setuid(uid)
    home = env.get("HOME", "")
    if not home or not os.access(home, os.W_OK):
        home = tempfile.mkdtemp(prefix="kernel-home-")
        os.environ["HOME"] = home
    LOG.info("running as uid %d gid %d", uid, gid)


def start_kernel(kernel_argv, connection_file):
    argv = [argument.replace("{connection_file}", connection_file) for argument in kernel_argv]
    LOG.info("starting kernel: %s", " ".join(argv))
    return subprocess.Popen(argv)


def forward_signals(kernel):
    def forward(signum, frame):
        if kernel.poll() is None:
            kernel.send_signal(signum)
    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forward)


def end_after_grace(kernel, grace_seconds):
    """After a comm-port shutdown the kernel should exit by itself; if not, terminate it, then kill it."""
    def enforce():
        for stop in (kernel.terminate, kernel.kill):
            try:
                kernel.wait(timeout=grace_seconds)
                return
            except subprocess.TimeoutExpired:
                LOG.warning("kernel still running %.1f s after shutdown: %s", grace_seconds, stop.__name__)
                stop()
    threading.Thread(target=enforce, name="shutdown-grace", daemon=True).start()


def exit_code(returncode):
    return 128 - returncode if returncode < 0 else returncode


def run(config):
    port_range = parse_port_range(config.port_range, config.min_port_range_size)
    held = allocate_ports(port_range, len(KERNEL_PORT_NAMES) + 1, config.port_retries)
    comm_socket, kernel_sockets = held[-1], held[:-1]
    ports = [bound.getsockname()[1] for bound in kernel_sockets]
    directory = config.connection_dir or tempfile.mkdtemp(prefix="kernelgate-")
    connection_file, info = write_connection_file(directory, config.kernel_id, ports, str(uuid.uuid4()))
    for bound in kernel_sockets:
        bound.close()
    kernel = start_kernel(config.kernel_argv, connection_file)
    forward_signals(kernel)
    listener = None
    try:
        if config.response_address:
            grace = float(os.environ.get("KERNEL_SHUTDOWN_GRACE", "5"))
            listener = CommListener(comm_socket, kernel.pid, on_shutdown=lambda: end_after_grace(kernel, grace))
            # Read once: a shutdown may come (and close the port) as soon as the payload is out.
            comm_port = listener.port
            listener.start()
            payload = dict(info, pid=kernel.pid, pgid=os.getpgid(kernel.pid), comm_port=comm_port, kernel_id=config.kernel_id)
            if config.launch_secret:
                payload["launch_secret"] = config.launch_secret
            send_payload(config.response_address, encrypt_payload(payload, config.public_key))
            LOG.info("connection info sent to %s (comm port %d)", config.response_address, comm_port)
        else:
            comm_socket.close()
            LOG.info("no response address: connection file %s", connection_file)
        return exit_code(kernel.wait())
    except Exception:
        if kernel.poll() is None:
            kernel.kill()
            kernel.wait()
        raise
    finally:
        if listener is not None:
            listener.stopped.set()
        try:
            os.remove(connection_file)
        except OSError:
            pass


def main(argv=None, env=None):
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), stream=sys.stderr,
                        format="[kernelgate-launcher %(levelname)s %(asctime)s] %(message)s")
    env = dict(os.environ) if env is None else env
    try:
        config = parse_args(sys.argv[1:] if argv is None else argv, env)
        # The secret proves this launch to the gateway; the kernel (user code) has no use for it.
        os.environ.pop("KERNEL_LAUNCH_SECRET", None)
        drop_privileges(env)
        LOG.info("launching kernel %s", config.kernel_id)
        code = run(config)
        LOG.info("kernel exited with code %d", code)
        return code
    except LaunchError as error:
        LOG.error("%s", error)
        return 2
    except OSError as error:
        LOG.error("launch failed: %s", error)
        return 3


if __name__ == "__main__":
    sys.exit(main())
