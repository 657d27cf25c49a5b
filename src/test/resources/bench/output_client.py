"""A Python notebook client for the benchmark's output figure: runs a cell that prints a large
output through the gateway's WebSocket and reports how fast the stream output arrived.

Reads and parses every message as a client does (JSON text frames for the legacy framing, the
binary v1 framing otherwise) with one of the WebSocket libraries Python clients use:
websocket-client (synchronous; as configured by default, it checks the UTF-8 of every text
message in pure Python unless wsaccel is installed: "websocket-client-unchecked" turns that off
with skip_utf8_validation) or tornado (Jupyter Server's gateway client).

The floor for a Python client is jupyter_client straight over ZMQ to a bare kernel (library
"jupyter_client", the gateway's port replaced by the kernel's connection file): what the same
user gets from a local kernel, parsing the same messages.

usage: output_client.py PORT KERNEL_ID LIBRARY FRAMING CODE_FILE ROUNDS
       output_client.py CONNECTION_FILE - jupyter_client - CODE_FILE ROUNDS
prints one JSON line: {"rounds": [{"bytes": ..., "seconds": ...}, ...]}
"""
import json
import struct
import sys
import time
import uuid

port, kernel_id, library, framing, code_file, rounds = sys.argv[1:7]
code = open(code_file).read()
rounds = int(rounds)
session = str(uuid.uuid4())
url = "ws://127.0.0.1:%s/api/kernels/%s/channels?session_id=%s" % (port, kernel_id, session)
V1 = "v1.kernel.websocket.jupyter.org"


def request(msg_id):
    header = {"msg_id": msg_id, "session": session, "username": "bench", "msg_type": "execute_request",
              "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ")}
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}
    if framing == "legacy":
        return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                           "channel": "shell", "buffers": []})
    parts = [b"shell"] + [json.dumps(part).encode() for part in (header, {}, {}, content)]
    offsets = [8 * (len(parts) + 2)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return struct.pack("<%dQ" % (len(offsets) + 1), len(offsets), *offsets) + b"".join(parts)


def parse(data):
    """channel, msg_type, parent msg_id, content of one message in either framing."""
    if framing == "legacy":
        message = json.loads(data)
        return message.get("channel"), message["header"]["msg_type"], message["parent_header"].get("msg_id"), message["content"]
    count = struct.unpack_from("<Q", data, 0)[0]
    offsets = struct.unpack_from("<%dQ" % count, data, 8)
    # Each part is decoded straight from the message through a view, as JupyterLab reads v1 parts:
    # slicing the bytes first copies the part once more (0.14 s of a 46 MB output here), a cost of
    # such code and not of the framing; the floor gets each part as its own ZMQ frame.
    view = memoryview(data)
    part = lambda index: str(view[offsets[index]:offsets[index + 1]], "utf-8")
    header, parent, content = json.loads(part(1)), json.loads(part(2)), json.loads(part(4))
    return part(0), header["msg_type"], parent.get("msg_id"), content


class Round:
    def __init__(self):
        self.msg_id = str(uuid.uuid4())
        self.bytes = 0
        self.replied = self.idle = False

    def take(self, data):
        """True once the request's reply and idle status are in."""
        channel, msg_type, parent, content = parse(data)
        if parent == self.msg_id:
            if channel == "shell":
                self.replied = True
            elif msg_type == "status" and content.get("execution_state") == "idle":
                self.idle = True
            elif msg_type == "stream":
                self.bytes += len(content["text"])
        return self.replied and self.idle


def with_websocket_client():
    import websocket
    connection = websocket.create_connection(url, subprotocols=[V1] if framing == "v1" else None,
                                             skip_utf8_validation=library.endswith("-unchecked"))
    results = []
    for _ in range(rounds):
        current = Round()
        start = time.perf_counter()
        if framing == "legacy":
            connection.send(request(current.msg_id))
        else:
            connection.send_binary(request(current.msg_id))
        while not current.take(connection.recv()):
            pass
        results.append({"bytes": current.bytes, "seconds": time.perf_counter() - start})
    connection.close()
    return results


def with_tornado():
    from tornado import ioloop, websocket

    async def run():
        connection = await websocket.websocket_connect(url, subprotocols=[V1] if framing == "v1" else None,
                                                       max_message_size=1 << 30)
        results = []
        for _ in range(rounds):
            current = Round()
            start = time.perf_counter()
            await connection.write_message(request(current.msg_id), binary=framing == "v1")
            while True:
                data = await connection.read_message()
                if data is None:
                    raise SystemExit("the websocket closed: %s %s" % (connection.close_code, connection.close_reason))
                if current.take(data):
                    break
            results.append({"bytes": current.bytes, "seconds": time.perf_counter() - start})
        connection.close()
        return results

    return ioloop.IOLoop.current().run_sync(run)


def with_jupyter_client():
    from jupyter_client import BlockingKernelClient
    client = BlockingKernelClient(connection_file=port)
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        msg_id = client.execute(code, store_history=False)
        streamed, idle = 0, False
        while not idle:
            message = client.get_iopub_msg(timeout=600)
            if message["parent_header"].get("msg_id") == msg_id:
                if message["msg_type"] == "stream":
                    streamed += len(message["content"]["text"])
                idle = message["msg_type"] == "status" and message["content"]["execution_state"] == "idle"
        client.get_shell_msg(timeout=600)
        results.append({"bytes": streamed, "seconds": time.perf_counter() - start})
    client.stop_channels()
    return results


CLIENTS = {"websocket-client": with_websocket_client, "websocket-client-unchecked": with_websocket_client,
           "tornado": with_tornado, "jupyter_client": with_jupyter_client}
print(json.dumps({"rounds": CLIENTS[library]()}))
