"""A small kernel that speaks the real Jupyter protocol (heartbeat, kernel_info, execute with
output, shutdown) and nothing else, for measuring the gateway with hundreds of kernels: it costs
a fraction of ipykernel's memory and start time, so the figures are the gateway's.

execute_request: "pass" runs silently; any other code is echoed back as stdout, so a cell's
output size is chosen by its text. usage: tiny_kernel.py -f CONNECTION_FILE
"""
import datetime
import hashlib
import hmac
import json
import os
import signal
import sys
import uuid

import zmq

# Nothing runs long enough to interrupt: the gateway's SIGINT must not end the kernel.
signal.signal(signal.SIGINT, signal.SIG_IGN)
connection = json.load(open(sys.argv[sys.argv.index("-f") + 1]))
key = connection["key"].encode()
session = str(uuid.uuid4())
context = zmq.Context()


def bind(kind, name):
    socket = context.socket(kind)
    socket.bind("%s://%s:%d" % (connection["transport"], connection["ip"], connection[name + "_port"]))
    return socket


shell, control = bind(zmq.ROUTER, "shell"), bind(zmq.ROUTER, "control")
iopub, stdin, heartbeat = bind(zmq.PUB, "iopub"), bind(zmq.ROUTER, "stdin"), bind(zmq.REP, "hb")
counter = 0


def sign(parts):
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part)
    return mac.hexdigest().encode()


def send(socket, identities, msg_type, content, parent):
    header = {"msg_id": str(uuid.uuid4()), "session": session, "username": "tiny", "msg_type": msg_type,
              "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()}
    parts = [json.dumps(part).encode() for part in (header, parent, {}, content)]
    socket.send_multipart(identities + [b"<IDS|MSG>", sign(parts)] + parts)


def status(state, parent):
    send(iopub, [b"status"], "status", {"execution_state": state}, parent)


def handle(socket, frames):
    global counter
    split = frames.index(b"<IDS|MSG>")
    identities, signature, parts = frames[:split], frames[split + 1], frames[split + 2:split + 6]
    if not hmac.compare_digest(signature, sign(parts)):
        return True
    parent = json.loads(parts[0])
    content = json.loads(parts[3])
    kind = parent["msg_type"]
    status("busy", parent)
    if kind == "kernel_info_request":
        send(socket, identities, "kernel_info_reply", {
            "status": "ok", "protocol_version": "5.3", "implementation": "tiny", "implementation_version": "1",
            "language_info": {"name": "text", "version": "1", "mimetype": "text/plain", "file_extension": ".txt"},
            "banner": "tiny test kernel", "help_links": []}, parent)
    elif kind == "execute_request":
        counter += 1
        code = content.get("code", "")
        send(iopub, [b"execute_input"], "execute_input", {"code": code, "execution_count": counter}, parent)
        if code.strip() != "pass":
            send(iopub, [b"stream"], "stream", {"name": "stdout", "text": code}, parent)
        send(socket, identities, "execute_reply", {"status": "ok", "execution_count": counter,
                                                   "user_expressions": {}, "payload": []}, parent)
    elif kind == "shutdown_request":
        send(socket, identities, "shutdown_reply", {"status": "ok", "restart": content.get("restart", False)}, parent)
        status("idle", parent)
        return False
    else:
        send(socket, identities, kind.replace("_request", "_reply"), {"status": "error", "ename": "NotImplemented",
                                                                      "evalue": kind, "traceback": []}, parent)
    status("idle", parent)
    return True


poller = zmq.Poller()
for socket in (shell, control, heartbeat):
    poller.register(socket, zmq.POLLIN)
running = True
while running:
    for socket, _ in poller.poll():
        if socket is heartbeat:
            heartbeat.send(heartbeat.recv())
        else:
            running = handle(socket, socket.recv_multipart())
context.destroy(linger=100)
os._exit(0)
