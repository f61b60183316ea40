"""A real SMTP server on loopback for CareDesk's mail tests (aiosmtpd), keeping every
accepted message as a file: <out>/<n>.eml, with <out>/<n>.json holding the envelope
(sender, recipients, and the authenticated login if any).

    smtp_sink.py --port N --out DIR [--refuse ADDRESS]... [--tls CERT KEY] [--auth USER PASS]
                 [--watch-stdin]

--refuse answers RCPT TO for that address with a permanent 550; --tls offers STARTTLS and
requires it before mail; --auth requires AUTH PLAIN or LOGIN with that user and password
(only over TLS). Prints "ready" once listening; stops on SIGTERM, and with --watch-stdin
also when its standard input closes (so a test's server dies with the test)."""

import argparse
import json
import logging
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out, refuse):
        self.out = out
        self.refuse = {a.lower() for a in refuse}
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.out, str(n))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "login": session.auth_data.decode() if isinstance(session.auth_data, bytes) else None}, f)
        os.rename(base + ".eml.tmp", base + ".eml")  # complete files only
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASS"))
    parser.add_argument("--watch-stdin", action="store_true")
    args = parser.parse_args()
    # a client that gives up mid-handshake (a test of an untrusted certificate) is expected
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)

    kwargs = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
        kwargs.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = (v.encode() for v in args.auth)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user and auth_data.password == password
            return AuthResult(success=ok, auth_data=auth_data.login if ok else None)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.tls))

    os.makedirs(args.out, exist_ok=True)
    controller = Controller(Sink(args.out, args.refuse), hostname="127.0.0.1", port=args.port,
                            server_hostname="localhost", **kwargs)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if args.watch_stdin:
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
