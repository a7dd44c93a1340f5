"""Checks what the SMTP server of .ci/mail_smtpd.py received, with Python's own email parser.

usage: python3 mail_verify.py STORE_DIR PDF_FILE RECIPIENT...

Every recipient named must have received exactly one message and nobody else any; each message
must be text and HTML alternatives from the IR contact with a List-Unsubscribe header and the
summary PDF attached, whose decoded bytes equal PDF_FILE's.
"""

import email
import email.policy
import sys
from collections import Counter
from pathlib import Path


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    store, pdf_path, expected = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    pdf = pdf_path.read_bytes()
    files = sorted(store.glob("*.eml"))
    received = Counter()
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        to = message["X-Envelope-To"]
        received[to.lower()] += 1
        if message.get_content_type() != "multipart/mixed":
            fail("%s: expected multipart/mixed, found %s" % (path.name, message.get_content_type()))
        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        if plain is None or html is None:
            fail("%s: expected a text/plain and a text/html alternative" % path.name)
        alternative = plain.get_content()
        if "Dear" not in alternative or "Quarterly" not in message["Subject"]:
            fail("%s: unexpected text or subject: %r" % (path.name, message["Subject"]))
        if "<" not in message["From"] or "@" not in message["From"]:
            fail("%s: From should name the IR contact, found %r" % (path.name, message["From"]))
        if not message["List-Unsubscribe"] or not message["Message-ID"]:
            fail("%s: List-Unsubscribe and Message-ID are required" % path.name)
        attachments = list(message.iter_attachments())
        if len(attachments) != 1:
            fail("%s: expected one attachment, found %d" % (path.name, len(attachments)))
        attachment = attachments[0]
        if attachment.get_content_type() != "application/pdf":
            fail("%s: attachment is %s" % (path.name, attachment.get_content_type()))
        name = attachment.get_filename() or ""
        if not (name.endswith(".pdf") and "-Quarterly-Summary-" in name):
            fail("%s: attachment file name %r" % (path.name, name))
        if attachment.get_content() != pdf:
            fail("%s: the attached PDF differs from %s after decoding" % (path.name, pdf_path))
    wanted = Counter(address.lower() for address in expected)
    if received != wanted:
        fail("expected one message each for %s, received %s" % (dict(wanted), dict(received)))
    print("ok: %d messages, one per recipient, PDF intact (%d bytes)" % (len(files), len(pdf)))


if __name__ == "__main__":
    main()
