"""Unit and process-level tests of KernelGate's kernel launcher (pytest, Debian's python3-pytest)."""

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

import kernelgate_launcher as launcher

LAUNCHER = launcher.__file__


@pytest.fixture(scope="module")
def key_pair():
    private = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(der).decode("ascii")


def decrypt(wire, private):
    """The gateway's side of the handshake, written independently of the launcher."""
    envelope = json.loads(base64.b64decode(wire))
    assert envelope["version"] == 1
    aes_key = private.decrypt(base64.b64decode(envelope["key"]), padding.PKCS1v15())
    decryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).decryptor()
    padded = decryptor.update(base64.b64decode(envelope["conn_info"])) + decryptor.finalize()
    return json.loads(padded[:-padded[-1]].decode("utf-8"))


# ------------------------------------------------------------------ parameters

def test_port_range_parsing():
    assert launcher.parse_port_range("0..0", 1000) == (0, 0)
    assert launcher.parse_port_range("40000..41000", 1000) == (40000, 41000)
    for bad in ["40000..40500", "100..5000", "50000..40000", "1..2..3", "a..b", "40000"]:
        with pytest.raises(launcher.LaunchError):
            launcher.parse_port_range(bad, 1000)


def test_parameters_come_from_arguments_then_environment():
    config = launcher.parse_args(["--kernel-id", "k1"], {"RESPONSE_ADDRESS": "10.0.0.1:8877", "PUBLIC_KEY": "abc",
                                                         "PORT_RANGE": "40000..41000"})
    assert (config.kernel_id, config.response_address, config.public_key, config.port_range) == \
        ("k1", "10.0.0.1:8877", "abc", "40000..41000")
    assert config.kernel_argv == launcher.DEFAULT_KERNEL_ARGV


def test_eg_option_spellings_are_accepted():
    config = launcher.parse_args(["--RemoteProcessProxy.kernel-id", "k2", "--RemoteProcessProxy.response-address", "h:1",
                                  "--RemoteProcessProxy.public-key", "pk", "--RemoteProcessProxy.port-range", "0..0",
                                  "--RemoteProcessProxy.spark-context-initialization-mode", "none"], {})
    assert (config.kernel_id, config.response_address, config.public_key) == ("k2", "h:1", "pk")


def test_kernel_argv_from_double_dash_or_environment():
    config = launcher.parse_args(["--kernel-id", "k", "--", "R", "--args", "{connection_file}"], {})
    assert config.kernel_argv == ["R", "--args", "{connection_file}"]
    config = launcher.parse_args([], {"KERNEL_ID": "k", "KERNEL_ARGV": '["julia", "{connection_file}"]'})
    assert config.kernel_argv == ["julia", "{connection_file}"]


def test_missing_or_inconsistent_parameters_are_refused():
    with pytest.raises(launcher.LaunchError, match="kernel id"):
        launcher.parse_args([], {})
    with pytest.raises(launcher.LaunchError, match="public key"):
        launcher.parse_args(["--kernel-id", "k", "--response-address", "h:1"], {})
    with pytest.raises(launcher.LaunchError, match="list of strings"):
        launcher.parse_args(["--kernel-id", "k"], {"KERNEL_ARGV": "[1, 2]"})


def test_response_address_must_be_host_and_port():
    assert launcher.parse_response_address("10.1.2.3:8877") == ("10.1.2.3", 8877)
    for bad in ["10.1.2.3", ":8877", "host:port"]:
        with pytest.raises(launcher.LaunchError):
            launcher.parse_response_address(bad)


# ------------------------------------------------------------------ ports, files, crypto

def test_allocated_ports_are_distinct_and_inside_the_range():
    held = launcher.allocate_ports((42000, 43500), 6, 20)
    try:
        ports = [bound.getsockname()[1] for bound in held]
        assert len(set(ports)) == 6
        assert all(42000 <= port <= 43500 for port in ports)
    finally:
        for bound in held:
            bound.close()


def test_connection_file_is_written(tmp_path):
    path, info = launcher.write_connection_file(str(tmp_path), "kid", [1, 2, 3, 4, 5], "secret")
    with open(path) as handle:
        written = json.load(handle)
    assert written == info
    assert written["shell_port"] == 1 and written["hb_port"] == 5
    assert written["ip"] == "0.0.0.0" and written["signature_scheme"] == "hmac-sha256"


def test_payload_decrypts_with_the_private_key(key_pair):
    private, public = key_pair
    info = {"shell_port": 1, "kernel_id": "k", "key": "é-unicode"}
    assert decrypt(launcher.encrypt_payload(info, public), private) == info


def test_pem_public_keys_are_accepted(key_pair):
    private, public = key_pair
    pem = "-----BEGIN PUBLIC KEY-----\n" + "\n".join(public[i:i + 64] for i in range(0, len(public), 64)) + "\n-----END PUBLIC KEY-----\n"
    assert decrypt(launcher.encrypt_payload({"kernel_id": "k"}, pem), private) == {"kernel_id": "k"}


# ------------------------------------------------------------------ comm port

def send_comm(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)


def test_comm_port_signals_the_kernel_and_ignores_garbage():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    listener = launcher.CommListener(launcher.bind_port((0, 0), 0), child.pid)
    listener.start()
    try:
        send_comm(listener.port, b"not json")
        send_comm(listener.port, b'["a list"]')
        send_comm(listener.port, json.dumps({"signum": 0}).encode())
        time.sleep(0.3)
        assert child.poll() is None, "garbage and signum 0 must not touch the kernel"
        send_comm(listener.port, json.dumps({"signum": 15}).encode())
        assert child.wait(timeout=10) == -15
    finally:
        if child.poll() is None:
            child.kill()
        listener.stopped.set()


def test_comm_port_shutdown_stops_the_listener():
    listener = launcher.CommListener(launcher.bind_port((0, 0), 0), os.getpid())
    listener.start()
    send_comm(listener.port, json.dumps({"shutdown": 1}).encode())
    listener.join(timeout=5)
    assert not listener.is_alive()


# ------------------------------------------------------------------ the whole launcher as a process

class FakeGateway:
    """A response listener that keeps the first payload it gets."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.payload = None
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    @property
    def address(self):
        return "127.0.0.1:%d" % self.server.getsockname()[1]

    def accept(self):
        connection, _ = self.server.accept()
        data = b""
        while True:
            chunk = connection.recv(4096)
            if not chunk:
                break
            data += chunk
        self.payload = data
        connection.close()


def test_launcher_sends_connection_info_and_exits_with_its_kernel(key_pair, tmp_path):
    private, public = key_pair
    gateway = FakeGateway()
    fake_kernel = [sys.executable, "-c", "import json, sys, time; json.load(open(sys.argv[1])); time.sleep(60)", "{connection_file}"]
    env = dict(os.environ, KERNEL_ID="kid-1", RESPONSE_ADDRESS=gateway.address, PUBLIC_KEY=public, KERNEL_ARGV=json.dumps(fake_kernel))
    process = subprocess.Popen([sys.executable, LAUNCHER, "--connection-dir", str(tmp_path)], env=env)
    try:
        gateway.thread.join(timeout=20)
        info = decrypt(gateway.payload, private)
        assert info["kernel_id"] == "kid-1"
        assert info["ip"] == "0.0.0.0" and info["transport"] == "tcp"
        assert all(isinstance(info[name], int) for name in launcher.KERNEL_PORT_NAMES + ["comm_port", "pid"])
        send_comm(info["comm_port"], json.dumps({"signum": 15}).encode())
        assert process.wait(timeout=20) == 143
        assert os.listdir(str(tmp_path)) == [], "the connection file is removed"
    finally:
        if process.poll() is None:
            process.kill()


def test_launch_secret_is_returned_and_hidden_from_the_kernel(key_pair, tmp_path):
    private, public = key_pair
    gateway = FakeGateway()
    seen = tmp_path / "kernel-env"
    fake_kernel = [sys.executable, "-c", "import os, sys, time; open(sys.argv[1], 'w').write(os.environ.get('KERNEL_LAUNCH_SECRET', 'absent'));"
                   " time.sleep(60)", str(seen)]
    env = dict(os.environ, KERNEL_ID="kid-s", RESPONSE_ADDRESS=gateway.address, PUBLIC_KEY=public, KERNEL_ARGV=json.dumps(fake_kernel),
               KERNEL_LAUNCH_SECRET="one-time-secret")
    process = subprocess.Popen([sys.executable, LAUNCHER, "--connection-dir", str(tmp_path)], env=env)
    try:
        gateway.thread.join(timeout=20)
        info = decrypt(gateway.payload, private)
        assert info["launch_secret"] == "one-time-secret"
        deadline = time.time() + 20
        while not (seen.exists() and seen.read_text()) and time.time() < deadline:
            time.sleep(0.05)
        assert seen.read_text() == "absent", "the kernel's environment must not hold the launch secret"
    finally:
        process.kill()
        process.wait()


def test_launcher_exits_with_an_error_when_the_gateway_is_unreachable(key_pair):
    _, public = key_pair
    unused = socket.socket()
    unused.bind(("127.0.0.1", 0))
    port = unused.getsockname()[1]
    unused.close()
    env = dict(os.environ, KERNEL_ID="kid-2", RESPONSE_ADDRESS="127.0.0.1:%d" % port, PUBLIC_KEY=public,
               KERNEL_ARGV=json.dumps([sys.executable, "-c", "import time; time.sleep(60)"]))
    result = subprocess.run([sys.executable, LAUNCHER], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 3
    assert "launch failed" in result.stderr


def test_comm_shutdown_ends_a_kernel_that_ignores_it(key_pair, tmp_path):
    private, public = key_pair
    gateway = FakeGateway()
    stubborn = [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"]
    env = dict(os.environ, KERNEL_ID="kid-3", RESPONSE_ADDRESS=gateway.address, PUBLIC_KEY=public,
               KERNEL_ARGV=json.dumps(stubborn), KERNEL_SHUTDOWN_GRACE="0.5")
    process = subprocess.Popen([sys.executable, LAUNCHER, "--connection-dir", str(tmp_path)], env=env)
    try:
        gateway.thread.join(timeout=20)
        info = decrypt(gateway.payload, private)
        send_comm(info["comm_port"], json.dumps({"shutdown": 1}).encode())
        assert process.wait(timeout=20) == 137, "SIGTERM is ignored, so the kernel ends by SIGKILL"
    finally:
        if process.poll() is None:
            process.kill()


def test_sigterm_to_the_launcher_reaches_the_kernel():
    fake_kernel = [sys.executable, "-c", "import time; time.sleep(60)"]
    env = dict(os.environ, KERNEL_ID="kid-4", KERNEL_ARGV=json.dumps(fake_kernel))
    process = subprocess.Popen([sys.executable, LAUNCHER], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 20
        line = ""
        while "starting kernel" not in line and time.time() < deadline:
            line = process.stderr.readline()
        time.sleep(0.3)
        process.terminate()
        assert process.wait(timeout=20) == 143, "the kernel ended by the forwarded SIGTERM, and the launcher with it"
    finally:
        if process.poll() is None:
            process.kill()
