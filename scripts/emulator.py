"""The local DynamoDB/SNS emulator: moto's server app, one request at a time.

`moto_server` serves requests on parallel threads, and moto's DynamoDB does not lock: two
conditional writes on one item can both pass their conditions (measured: 6 OTP devices
created under a limit of 5). DynamoDB applies each conditional write atomically, so the
emulator must too: this runs the same application single-threaded.

usage: emulator.py HOST PORT
"""

import os
import signal
import sys

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler
from werkzeug.serving import run_simple


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, app, threaded=False, use_reloader=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
