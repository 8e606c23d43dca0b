"""A real SMTP server for samspil's tests, on aiosmtpd.

    python smtp_sink.py --port PORT --log FILE [--reject ADDRESS]... [--delay-file FILE]

Accepts every message and appends one JSON line per accepted message to
--log (recipients, Message-ID, subject), flushed before it answers 250.
--reject makes RCPT TO answer 550 for an address (a permanent failure).
While --delay-file exists, DATA waits (the number of seconds in the file)
before answering, and a line is written to FILE.seen when a message
arrives: the tests kill the sender during that wait. A client that goes
away before the 250 has delivered nothing (aiosmtpd cancels the handler).
Prints "ready" on standard output once it listens.
"""

import argparse
import asyncio
import email
import email.header
import json
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, log, reject, delay_file, sync=True):
        self.log = log
        self.sync = sync
        self.reject = {a.lower() for a in reject}
        self.delay_file = delay_file

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        if self.delay_file and os.path.exists(self.delay_file):
            with open(self.delay_file + ".seen", "a") as seen:
                seen.write(json.dumps({"to": envelope.rcpt_tos}) + "\n")
            try:
                with open(self.delay_file) as f:
                    seconds = float(f.read().strip() or "30")
            except OSError:
                seconds = 30.0
            await asyncio.sleep(seconds)
        line = json.dumps(
            {
                "to": envelope.rcpt_tos,
                "message_id": message.get("Message-ID"),
                "subject": str(email.header.make_header(email.header.decode_header(message.get("Subject", "")))),
            }
        )
        with open(self.log, "a") as f:
            f.write(line + "\n")
            f.flush()
            if self.sync:
                os.fsync(f.fileno())
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--delay-file")
    parser.add_argument("--no-sync", action="store_true", help="skip fsync (benchmarks)")
    args = parser.parse_args()
    controller = Controller(
        Sink(args.log, args.reject, args.delay_file, sync=not args.no_sync), hostname="127.0.0.1", port=args.port
    )
    controller.start()
    print("ready", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
