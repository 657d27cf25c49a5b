// A JupyterLab client (@jupyterlab/services) running a cell while its WebSocket drops.
// Usage: node reconnecting-client.mjs <port> <token> <kernel-id>
// Prints one JSON line: the cell's stdout as the client saw it, its reply status, the
// connection statuses it went through, and the kernel statuses it was shown.
import { KernelManager, ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';

const [port, token, kernelId] = process.argv.slice(2);
const serverSettings = ServerConnection.makeSettings({
  baseUrl: `http://127.0.0.1:${port}/`,
  wsUrl: `ws://127.0.0.1:${port}/`,
  token,
  WebSocket,
  appendToken: true,
});

const manager = new KernelManager({ serverSettings });
await manager.ready;
const kernel = manager.connectTo({ model: { id: kernelId, name: 'python3' } });
const connectionStatuses = [];
const kernelStatuses = [];
kernel.connectionStatusChanged.connect((_, status) => connectionStatuses.push(status));
kernel.statusChanged.connect((_, status) => kernelStatuses.push(status));
await kernel.info;

let stdout = '';
let dropped = false;
const code = "import time\nfor i in range(6):\n    print(f'line {i}', flush=True)\n    time.sleep(0.5)";
const future = kernel.requestExecute({ code });
future.onIOPub = (msg) => {
  if (msg.header.msg_type === 'stream') {
    stdout += msg.content.text;
    if (!dropped) {
      // The network fails under the connection: no close frame, the TCP connection just ends.
      dropped = true;
      kernel._ws._socket.destroy();
    }
  }
};
const timeout = setTimeout(() => {
  console.log(JSON.stringify({ stdout, status: 'timeout', connectionStatuses, kernelStatuses }));
  process.exit(2);
}, 60000);
const reply = await future.done;
clearTimeout(timeout);
console.log(JSON.stringify({ stdout, status: reply.content.status, connectionStatuses, kernelStatuses }));
kernel.dispose();
manager.dispose();
process.exit(0);
