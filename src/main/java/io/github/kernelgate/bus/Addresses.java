package io.github.kernelgate.bus;

import io.github.kernelgate.plugin.ProxyContract;

/**
 * Every event-bus address of the gateway. Commands are {@code kernelgate.<role>.<verb-noun>},
 * events are past tense. Bodies are JSON unless a local codec is named. Every address is
 * answered in its own process only (local consumers), except a replica's door
 * ({@link #onReplica}), process proxies ({@link #proxy}) and {@link #PROXY_KERNEL_EXITED}, which
 * plugins in their own process use.
 */
public final class Addresses {

  private Addresses() {
  }

  // Kernel lifecycle verticle (JSON in, JSON out).
  public static final String KERNEL_START = "kernelgate.kernel.start-kernel";
  public static final String KERNEL_LIST = "kernelgate.kernel.list-kernels";
  public static final String KERNEL_GET = "kernelgate.kernel.get-kernel";
  public static final String KERNEL_SHUTDOWN = "kernelgate.kernel.shutdown-kernel";
  public static final String KERNEL_INTERRUPT = "kernelgate.kernel.interrupt-kernel";
  public static final String KERNEL_RESTART = "kernelgate.kernel.restart-kernel";
  /**
   * Clustered: {@code {record}}, a kernel whose replica left the cluster and whose ownership this
   * replica won; answers {@code {taken_over}} (false when the kernel was gone, and is now cleaned up).
   */
  public static final String KERNEL_TAKE_OVER = "kernelgate.kernel.take-over-kernel";
  /**
   * Clustered: {@code {owners}}, the cluster's owner of every kernel ({@code kernel_id → instance@incarnation}), after this
   * replica's side of a partition merged back; answers {@code {let_go, claimed}}.
   */
  public static final String KERNEL_RECONCILE_OWNERS = "kernelgate.kernel.reconcile-owners";
  /** Answers {@code {counts: [{state, spec, count}]}}: this gateway's kernels by state and kernel spec. */
  public static final String KERNEL_COUNT = "kernelgate.kernel.count-kernels";
  /**
   * Sent (local): {@code {start_request}} when the client of a start hung up before its answer; the
   * start ends (waiting: it never launches; launching or started: its kernel is deleted).
   */
  public static final String KERNEL_START_ABANDONED = "kernelgate.kernel.start-abandoned";
  public static final String KERNEL_CLIENT_ATTACHED = "kernelgate.kernel.client-attached";
  public static final String KERNEL_CLIENT_DETACHED = "kernelgate.kernel.client-detached";
  /**
   * Published: {@code {kernel_id, state}}, state one of restart-requested (a REST restart begins),
   * restarting (an automatic restart begins), starting (an automatic restart is done), dead, shutdown,
   * taken-over (clustered: this replica took the kernel over from one that left), moved (clustered: another replica
   * serves the kernel now; this one let go of it).
   */
  public static final String KERNEL_STATE_CHANGED = "kernelgate.kernel.state-changed";

  /** Published (local), clustered: {@code {instance}} when a replica left the cluster. */
  public static final String REPLICA_LEFT = "kernelgate.cluster.replica-left";

  // Sessions (owned by the kernel verticle, since a session is a name for a kernel).
  public static final String SESSION_CREATE = "kernelgate.session.create-session";
  public static final String SESSION_LIST = "kernelgate.session.list-sessions";
  public static final String SESSION_GET = "kernelgate.session.get-session";
  public static final String SESSION_UPDATE = "kernelgate.session.update-session";
  public static final String SESSION_DELETE = "kernelgate.session.delete-session";

  // ZMQ bridge verticle.
  /** Answered on the event loop that serves every kernel connection: {@code {kernels}}, how many kernels it is connected to. */
  public static final String ZMQ_PING = "kernelgate.zmq.ping-owner";
  public static final String ZMQ_CONNECT = "kernelgate.zmq.connect-kernel";
  public static final String ZMQ_DISCONNECT = "kernelgate.zmq.disconnect-kernel";
  /**
   * Local codec {@code OutgoingMessage}: a client's message for a kernel. Sent, it is fire and
   * forget; requested, the answer (a boolean: sent or dropped) comes once ZMQ took it.
   */
  public static final String ZMQ_SEND = "kernelgate.zmq.send-message";
  /** JSON {@code {kernel_id, reading}}: stop or resume reading a kernel's iopub (clients' back-pressure). */
  public static final String ZMQ_READ_IOPUB = "kernelgate.zmq.read-iopub";
  /** JSON request whose reply is the kernel's reply: the gateway's own kernel_info, shutdown, interrupt. */
  public static final String ZMQ_REQUEST = "kernelgate.zmq.request-kernel";
  /**
   * JSON {@code {kernel_id, timeout_ms}}: answers once the kernel replied to kernel_info and an
   * iopub message came through (the SUB socket is really subscribed), nudging meanwhile.
   */
  public static final String ZMQ_AWAIT_READY = "kernelgate.zmq.await-ready";
  /** Published: {@code {kernel_id, execution_state?}} on iopub traffic (status always, others throttled). */
  public static final String ZMQ_ACTIVITY = "kernelgate.zmq.activity-seen";
  /** Published: {@code {kernel_id}} when the kernel stopped answering heartbeats. */
  public static final String ZMQ_HEARTBEAT_LOST = "kernelgate.zmq.heartbeat-lost";

  // Response listener (launch handshake).
  /**
   * JSON {@code {kernel_id, timeout_ms, secret, accepts_unsigned}}: answers {@code {connection_info}} when a payload
   * for that kernel passes the rules of {@code LaunchExpectation}; 504 after the timeout.
   */
  public static final String LAUNCH_EXPECT_KERNEL = "kernelgate.launch.expect-kernel";
  /** JSON {@code {kernel_id}}: stops waiting for a kernel's payload. */
  public static final String LAUNCH_CANCEL_KERNEL = "kernelgate.launch.cancel-kernel";
  /** JSON {@code {kernel_id, address}}: the address the kernel's container or service got, once known. */
  public static final String LAUNCH_KERNEL_ADDRESS = "kernelgate.launch.kernel-address";
  /** Answers {@code {public_key, response_address}}, or 503 while the listener is not listening. */
  public static final String LAUNCH_DESCRIBE = "kernelgate.launch.describe-listener";

  // Docker verticle (JSON in, JSON out; blocking docker-java calls on its workers).
  /** Published (local) each time the Docker event stream (re)connects: deaths may have been missed meanwhile. */
  public static final String DOCKER_EVENTS_RESUMED = "kernelgate.docker.events-resumed";
  public static final String DOCKER_PING = "kernelgate.docker.ping-daemon";
  public static final String DOCKER_CREATE_CONTAINER = "kernelgate.docker.create-container";
  public static final String DOCKER_START_CONTAINER = "kernelgate.docker.start-container";
  public static final String DOCKER_INSPECT_CONTAINER = "kernelgate.docker.inspect-container";
  public static final String DOCKER_REMOVE_CONTAINER = "kernelgate.docker.remove-container";
  public static final String DOCKER_CREATE_SERVICE = "kernelgate.docker.create-service";
  public static final String DOCKER_REMOVE_SERVICE = "kernelgate.docker.remove-service";
  public static final String DOCKER_LIST_TASKS = "kernelgate.docker.list-tasks";
  /**
   * JSON {@code {kernel_id, instance}}: removes the containers and services of that kernel started by that gateway instance
   * (clustered: a launch its replica did not live to finish). Answers {@code {removed}}, their number.
   */
  public static final String DOCKER_REMOVE_KERNEL_OBJECTS = "kernelgate.docker.remove-kernel-objects";
  /** Published: {@code {container_id, kernel_id}} when a kernel-labelled container started. */
  public static final String DOCKER_CONTAINER_STARTED = "kernelgate.docker.container-started";
  /** Published: {@code {container_id, kernel_id, service_id, exit_code}} when a kernel-labelled container (or swarm task) died. */
  public static final String DOCKER_CONTAINER_DIED = "kernelgate.docker.container-died";

  /** Published: {@code {kernel_id, launch_id, exit_code}} by any process proxy when a kernel's process or container ended. */
  public static final String PROXY_KERNEL_EXITED = ProxyContract.KERNEL_EXITED;

  /** Local codec {@code KernelMessage}: every message one kernel sends, for the clients attached to it. */
  public static String kernelMessages(String kernelId) {
    return "kernelgate.zmq.kernel-messages." + kernelId;
  }

  /**
   * A replica's door: {@code address} (a kernel or session command) as answered for other
   * replicas by the replica of gateway instance {@code replica}. The only kernel commands that
   * cross processes; the body and the answer are those of {@code address}.
   */
  public static String onReplica(String replica, String address) {
    return "kernelgate.replica." + replica + "." + address;
  }

  /** A process proxy's command address: {@code kernelgate.proxy.<proxy-name>.<verb>}. */
  public static String proxy(String proxyName, String verb) {
    return ProxyContract.address(proxyName, verb);
  }
}
