"""Run inside the stack's overlay network by SwarmReplicasIT: a kernel started through one gateway
replica (task) is read, executed through a WebSocket and deleted through the other replica.
Prints one JSON line with what it saw; exits non-zero when something failed."""
import json
import socket
import sys
import time
import uuid
import urllib.request

from tornado import ioloop, websocket

service, user = sys.argv[1], sys.argv[2]


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def cluster_size(address):
    """The members the replica's readiness check reports: replicas that started together are
    listed in DNS once healthy, each in a cluster of its own, and merge a few seconds later."""
    status, health = call("GET", "http://%s:8888/health/ready" % address)
    if status != 200:
        return 0
    cluster = next((check for check in health.get("checks", []) if check.get("id") == "cluster"), {})
    return cluster.get("data", {}).get("members", 0)


def replicas():
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            addresses = sorted({info[4][0] for info in socket.getaddrinfo("tasks." + service, 8888, socket.AF_INET)})
            if len(addresses) >= 2 and all(cluster_size(address) == len(addresses) for address in addresses):
                return addresses
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("two replicas in one cluster never appeared")


async def execute(address, kernel_id, code):
    session = str(uuid.uuid4())
    connection = await websocket.websocket_connect(
        "ws://%s:8888/api/kernels/%s/channels?session_id=%s" % (address, kernel_id, session))
    msg_id = str(uuid.uuid4())
    header = {"msg_id": msg_id, "session": session, "username": user, "msg_type": "execute_request",
              "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ")}
    await connection.write_message(json.dumps({
        "header": header, "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    result = None
    while True:
        text = await connection.read_message()
        if text is None:
            raise SystemExit("the websocket closed")
        message = json.loads(text)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["header"]["msg_type"]
        if kind == "execute_result":
            result = message["content"]["data"]["text/plain"]
        if kind == "status" and message["content"]["execution_state"] == "idle" and result is not None:
            connection.close()
            return result


first, second = replicas()[:2]
status, started = call("POST", "http://%s:8888/api/kernels" % first,
                       {"name": "python_docker", "env": {"KERNEL_USERNAME": user, "KERNEL_LAUNCH_TIMEOUT": "90"}})
if status != 201:
    raise SystemExit("start through %s answered %s %s" % (first, status, started))
kernel_id = started["id"]
seen = {"first": first, "second": second, "kernel_id": kernel_id}
seen["get_through_second"] = call("GET", "http://%s:8888/api/kernels/%s" % (second, kernel_id))[0]
seen["listed_by_second"] = [kernel["id"] for kernel in call("GET", "http://%s:8888/api/kernels" % second)[1]]
seen["result_through_second"] = ioloop.IOLoop.current().run_sync(lambda: execute(second, kernel_id, "6 * 7"), timeout=120)
seen["delete_through_second"] = call("DELETE", "http://%s:8888/api/kernels/%s" % (second, kernel_id))[0]
print(json.dumps(seen))
