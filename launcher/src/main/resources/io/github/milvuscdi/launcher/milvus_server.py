"""Runs Milvus's own standalone server (PyPI package "milvus") on ports chosen by the caller.

Started by io.github.milvuscdi.launcher.MilvusServer with the python of the virtual environment
that holds the pinned "milvus" package:

    python milvus_server.py --data-dir DIR --alias NAME

The options come as JSON in the environment variable MILVUS_CDI_SERVER_OPTIONS:

    {"milvus_version": "2.3.5", "binaries": "/.../server/bin", "stop_grace_seconds": 3,
     "ports": {"proxy_port": 41000, "proxy_internal_port": ..., "etcd_port": ...,
               "etcd_peer_port": ..., "metrics_port": ..., "root_coord_port": ..., ...},
     "authorization_enabled": false,
     "tls": {"mode": 1, "server_pem": "...", "server_key": "...", "ca_pem": "..."}}

Why not the package's own "milvus-server" command: it binds every port it is given once more
before starting (which fails while the previous run's connections linger in TIME_WAIT, on
restart), leaves the embedded etcd on its fixed peer port 2380 and client port 2379 and the
metrics/health server on the first free port from 9091 (so two servers at once collide), writes
the pid file /run/milvus/standalone.pid (also shared), unpacks 250 MB of binaries into every data
folder (about 15 s), and on SIGTERM dies at once while its milvus child lives on. So this script
uses the package's own configuration template and code to write configs/milvus.yaml, then runs
the binaries unpacked once into the cache, with every port given:

- the ports of the template (proxy, coordinators, nodes) through the template's variables;
- the embedded etcd's client and peer ports through an etcd configuration file named by
  ETCD_CONFIG_PATH (Milvus reads every configuration key from the environment too);
- the metrics and health port (/healthz) through METRICS_PORT;
- a pid file of its own through the "-alias" flag (/run/milvus/standalone-<alias>.pid).

Stopping: SIGTERM or SIGINT to this script, or the end of its standard input (the JVM that
started it died, even by SIGKILL), sends SIGTERM to milvus, and SIGKILL after the grace period.
If this script itself is killed, the kernel kills milvus (PR_SET_PDEATHSIG). The exit code is
milvus's when it ends by itself, 0 when stopped.
"""

import argparse
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading

OPTIONS_ENV = "MILVUS_CDI_SERVER_OPTIONS"
PR_SET_PDEATHSIG = 1

TEMPLATE_PORTS = ("proxy_port", "proxy_internal_port", "etcd_port", "root_coord_port", "query_coord_port",
                  "query_node_port", "index_coord_port", "index_node_port", "data_coord_port", "data_node_port")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--alias", required=True)
    args = parser.parse_args()
    options = json.loads(os.environ.pop(OPTIONS_ENV))

    import milvus
    if milvus.__version__ != options["milvus_version"]:
        sys.exit("milvus-cdi: this environment holds milvus %s, not %s; delete it so that it is installed again"
                 % (milvus.__version__, options["milvus_version"]))

    data_dir = os.path.abspath(args.data_dir)
    config_dir = os.path.join(data_dir, "configs")
    ports = options["ports"]
    config = milvus.MilvusServerConfig(data_dir=data_dir)
    config.resolve_storage()
    for key in TEMPLATE_PORTS:
        config.set(key, int(ports[key]))
    config.set("authorization_enabled", bool(options.get("authorization_enabled", False)))
    tls = options.get("tls")
    if tls:
        config.set("tls_mode", int(tls["mode"]))
        config.set("server_pem_path", tls["server_pem"])
        config.set("server_key_path", tls["server_key"])
        config.set("ca_pem_path", tls["ca_pem"])
    unresolved = [key for key, value in config.configurable_items.items() if value[1] is None]
    if unresolved:
        sys.exit("milvus-cdi: milvus %s has configuration variables this launcher does not fill: %s"
                 % (milvus.__version__, ", ".join(unresolved)))
    # write_config, not resolve(): resolve() binds each port once more and fails on a restart.
    config.write_config()

    etcd_config = os.path.join(config_dir, "embedded-etcd.yaml")
    client_url = "http://127.0.0.1:%d" % int(ports["etcd_port"])
    peer_url = "http://127.0.0.1:%d" % int(ports["etcd_peer_port"])
    with open(etcd_config, "w", encoding="utf-8") as out:
        out.write("name: milvus-cdi\n"
                  "listen-client-urls: %s\n" % client_url
                  + "advertise-client-urls: %s\n" % client_url
                  + "listen-peer-urls: %s\n" % peer_url
                  + "initial-advertise-peer-urls: %s\n" % peer_url
                  + "initial-cluster: milvus-cdi=%s\n" % peer_url)

    binaries = options["binaries"]
    environment = dict(os.environ)
    environment.update({
        "DEPLOY_MODE": "STANDALONE",
        "MILVUSCONF": config_dir,
        "ETCD_CONFIG_PATH": etcd_config,
        "METRICS_PORT": str(int(ports["metrics_port"])),
        # common.session.ttl: a server killed without a graceful stop leaves its sessions in etcd,
        # and the next start waits until they expire (30 s by default) before it serves.
        "COMMON_SESSION_TTL": str(int(options.get("session_ttl_seconds", 30))),
        "LD_LIBRARY_PATH": binaries + os.pathsep + os.environ.get("LD_LIBRARY_PATH", ""),
    })
    command = [os.path.join(binaries, "milvus"), "run", "standalone", "-alias", args.alias]
    print("milvus-cdi: running %s in %s" % (" ".join(command), data_dir), flush=True)
    process = subprocess.Popen(command, cwd=data_dir, env=environment, stdin=subprocess.DEVNULL,
                               preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    threading.Thread(target=_await_end_of_input, args=(stop,), daemon=True).start()

    while process.poll() is None and not stop.is_set():
        stop.wait(0.2)
    if process.poll() is not None:
        print("milvus-cdi: milvus exited with code %d" % process.returncode, flush=True)
        sys.exit(process.returncode)

    grace = float(options.get("stop_grace_seconds", 3))
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
        print("milvus-cdi: milvus stopped on SIGTERM", flush=True)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
        print("milvus-cdi: milvus killed after %.1f s without stopping on SIGTERM" % grace, flush=True)
    sys.exit(0)


def _die_with_parent():
    """In the child, before exec: the kernel sends SIGKILL when this launcher dies, however."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _await_end_of_input(stop):
    """Standard input is a pipe from the JVM: it ends when the JVM dies, even by SIGKILL."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except OSError:
        pass
    stop.set()


if __name__ == "__main__":
    main()
