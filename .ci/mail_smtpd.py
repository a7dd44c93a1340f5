"""A real SMTP server on 127.0.0.1 for the `hemasite mail --send` check (.ci/checks/60-mail.sh).

Stores each message it accepts as <store>/<n>-<recipient>.eml, with the envelope recipients in
an `X-Envelope-To` line first. Refuses with 550 any recipient listed (one per line) in
<store>/../reject.txt, read at every RCPT so the check can change it while the server runs. A
message to a recipient listed in <store>/../slow.txt is answered only after 4 seconds (it is
stored first, and <store>/../slow-started is written when it arrives), so the check can kill the
client while its message is with the server. When
SMTP_USER and SMTP_PASSWORD are set it requires AUTH with exactly those (over plain text, which
is fine on the loopback interface only).

usage: python3 mail_smtpd.py PORT STORE_DIR
"""

import asyncio
import os
import signal
import sys
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def listed(self, name):
        path = self.folder.parent / name
        if not path.exists():
            return set()
        return {line.strip().lower() for line in path.read_text().splitlines() if line.strip()}

    def rejected(self):
        return self.listed("reject.txt")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected():
            return "550 5.1.1 <%s>: mailbox unavailable (told to refuse it)" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = "%03d-%s.eml" % (self.count, "_".join(envelope.rcpt_tos))
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        header = ("X-Envelope-To: %s\r\n" % ", ".join(envelope.rcpt_tos)).encode("ascii")
        (self.folder / name).write_bytes(header + data)
        if any(to.lower() in self.listed("slow.txt") for to in envelope.rcpt_tos):
            (self.folder.parent / "slow-started").write_text(", ".join(envelope.rcpt_tos))
            await asyncio.sleep(4)
        return "250 Message accepted for delivery"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        # handled=False: aiosmtpd answers (235 or 535) itself.
        return AuthResult(success=ok, handled=False)

    return check


def main():
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    user, password = os.environ.get("SMTP_USER"), os.environ.get("SMTP_PASSWORD")
    kwargs = {}
    if user and password:
        kwargs = dict(
            authenticator=authenticator(user, password),
            auth_require_tls=False,
            auth_required=True,
        )
    controller = Controller(Store(folder), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("SMTP server listening on 127.0.0.1:%d, storing to %s" % (port, folder), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    signal.signal(signal.SIGINT, lambda *_: (controller.stop(), sys.exit(0)))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
