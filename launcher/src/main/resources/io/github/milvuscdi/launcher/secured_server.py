"""Serves milvus-lite's own servicer over TLS or mutual TLS, and/or with credentials enforced.

Started by io.github.milvuscdi.launcher.MilvusLiteServer with the python of the virtual
environment that holds the pinned milvus-lite:

    python secured_server.py --data-dir DIR --host 127.0.0.1 --port N

The options come as JSON in the environment variable MILVUS_CDI_SERVER_OPTIONS, so that no
password or token appears on a command line (which ps shows and the server log records):

    {"milvus_lite_version": "3.2.2",
     "tls": {"certificate": "/.../server.pem", "key": "/.../server.key", "client_ca": "/.../ca.pem"},
     "accepted_authorizations": ["root:Milvus", "an-api-key"],
     "unanswered_methods": ["ListDatabases"],
     "rate_limited": {"method": "ShowCollections", "calls": 3}}

- "tls" absent: plaintext. "client_ca" absent or null: one-way TLS; set: mutual TLS, a client
  certificate signed by that CA is required.
- "accepted_authorizations" absent or empty: no check. Otherwise each call must carry the
  metadata "authorization" holding base64 of one of these values, as Milvus checks it
  (internal/proxy/authentication_interceptor.go): base64 of "user:password" or of an API key.

The server is built the way milvus_lite/adapter/grpc/server.py builds its own: a MilvusLite on
the data folder, MilvusServicer registered on a thread-pool grpc.server with the same message
size limits. SIGTERM or SIGINT stops it (in-flight calls get 2 seconds) and closes the data.
"""

import argparse
import base64
import binascii
import json
import os
import signal
import sys
import threading
from concurrent import futures

import grpc
from pymilvus.grpc_gen import common_pb2, milvus_pb2_grpc

from milvus_lite._version import get_version
from milvus_lite.adapter.grpc.server import DEFAULT_MAX_WORKERS
from milvus_lite.adapter.grpc.servicer import MilvusServicer
from milvus_lite.db import MilvusLite

OPTIONS_ENV = "MILVUS_CDI_SERVER_OPTIONS"

# The same limits as milvus_lite/adapter/grpc/server.py (256 MB, as Milvus standalone).
MAX_MESSAGE_SIZE = 256 * 1024 * 1024

# Milvus's own answers (status code UNAUTHENTICATED), so that clients see what Milvus would say.
MISSING = "missing authorization in header"
UNDECODABLE = "invalid token format"
WRONG_PASSWORD = "auth check failure, please check username and password are correct"
WRONG_API_KEY = "auth check failure, please check api key is correct"


class MilvusAuthentication(grpc.ServerInterceptor):
    """Rejects calls whose "authorization" metadata is missing or not accepted."""

    def __init__(self, accepted):
        self._accepted = frozenset(accepted)

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        problem = self._problem(handler_call_details.invocation_metadata)
        if problem is None or handler is None:
            return handler
        return _rejecting(handler, problem)

    def _problem(self, metadata):
        values = [value for key, value in (metadata or ()) if key.lower() == "authorization"]
        if not values:
            return MISSING
        try:
            decoded = base64.b64decode(values[0], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            return UNDECODABLE
        if decoded in self._accepted:
            return None
        return WRONG_PASSWORD if ":" in decoded else WRONG_API_KEY


class NeverAnswering(grpc.ServerInterceptor):
    """Holds calls of the named methods without an answer until the server stops."""

    def __init__(self, methods, stopping):
        self._methods = frozenset(methods)
        self._stopping = stopping

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler_call_details.method.rsplit("/", 1)[-1] not in self._methods:
            return handler
        stopping = self._stopping

        def hang(request, context):
            stopping.wait()
            context.abort(grpc.StatusCode.UNAVAILABLE, "server stopping")

        return grpc.unary_unary_rpc_method_handler(hang, request_deserializer=handler.request_deserializer,
                                                   response_serializer=handler.response_serializer)


class RateLimiting(grpc.ServerInterceptor):
    """Answers the first N calls of one method as Milvus does when a rate limit is hit: the call
    runs, and its answer's status carries code 8 (merr.ErrServiceRateLimit) and the legacy error
    code RateLimit, which clients retry with backoff."""

    def __init__(self, method, calls):
        self._method = method
        self._left = calls
        self._lock = threading.Lock()

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler_call_details.method.rsplit("/", 1)[-1] != self._method:
            return handler
        inner = handler.unary_unary

        def limited(request, context):
            with self._lock:
                limit = self._left > 0
                if limit:
                    self._left -= 1
            response = inner(request, context)
            if limit:
                status = response if response.DESCRIPTOR.name == "Status" else response.status
                status.code = 8
                status.error_code = common_pb2.ErrorCode.Value("RateLimit")
                status.reason = "rate limit exceeded[rate=0.1]"
            return response

        return grpc.unary_unary_rpc_method_handler(limited, request_deserializer=handler.request_deserializer,
                                                   response_serializer=handler.response_serializer)


def _rejecting(handler, message):
    """A handler of the same kind as the given one that answers UNAUTHENTICATED."""

    def reject(request_or_iterator, context):
        context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

    if handler.unary_unary:
        factory = grpc.unary_unary_rpc_method_handler
    elif handler.unary_stream:
        factory = grpc.unary_stream_rpc_method_handler
    elif handler.stream_unary:
        factory = grpc.stream_unary_rpc_method_handler
    else:
        factory = grpc.stream_stream_rpc_method_handler
    return factory(reject, request_deserializer=handler.request_deserializer,
                   response_serializer=handler.response_serializer)


def _read(path):
    with open(path, "rb") as file:
        return file.read()


def _arguments(argv):
    parser = argparse.ArgumentParser(description="milvus-lite behind TLS and/or credentials")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    return parser.parse_args(argv)


def main(argv=None):
    args = _arguments(argv)
    options = json.loads(os.environ.get(OPTIONS_ENV) or "{}")
    expected = options.get("milvus_lite_version")
    if expected and get_version() != expected:
        print("milvus-cdi launcher: this script is written for milvus-lite %s, the environment holds %s;"
              " delete the virtual environment so that the pinned version is installed again"
              % (expected, get_version()), file=sys.stderr)
        return 2

    accepted = options.get("accepted_authorizations") or []
    unanswered = options.get("unanswered_methods") or []
    stopping = threading.Event()
    interceptors = [MilvusAuthentication(accepted)] if accepted else []
    if unanswered:
        interceptors.append(NeverAnswering(unanswered, stopping))
    rate_limited = options.get("rate_limited")
    if rate_limited:
        interceptors.append(RateLimiting(rate_limited["method"], int(rate_limited["calls"])))
    db = MilvusLite(args.data_dir)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=DEFAULT_MAX_WORKERS),
        interceptors=interceptors,
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_SIZE),
            ("grpc.max_send_message_length", MAX_MESSAGE_SIZE),
        ],
    )
    milvus_pb2_grpc.add_MilvusServiceServicer_to_server(MilvusServicer(db), server)

    address = "%s:%d" % (args.host, args.port)
    tls = options.get("tls")
    if tls:
        client_ca = tls.get("client_ca")
        credentials = grpc.ssl_server_credentials(
            [(_read(tls["key"]), _read(tls["certificate"]))],
            root_certificates=_read(client_ca) if client_ca else None,
            require_client_auth=bool(client_ca),
        )
        bound = server.add_secure_port(address, credentials)
        transport = "mutual TLS" if client_ca else "TLS"
    else:
        bound = server.add_insecure_port(address)
        transport = "plaintext"
    if bound == 0:
        print("milvus-cdi launcher: cannot listen on %s" % address, file=sys.stderr)
        db.close()
        return 3

    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.set())
    server.start()
    print("milvus-cdi launcher: milvus-lite %s serving on %s over %s, %s (data_dir=%r)"
          % (get_version(), address, transport,
             "%d accepted authorization(s)" % len(accepted) if accepted else "no authorization check",
             args.data_dir), flush=True)
    try:
        while not stopping.wait(1):
            pass
    finally:
        stopping.set()
        server.stop(grace=2).wait()
        db.close()
    print("milvus-cdi launcher: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
