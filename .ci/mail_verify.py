"""Checks what the SMTP server of .ci/mail_smtpd.py received, with Python's own email parser.

usage: python3 mail_verify.py [--kind quarterly|release] [--subject TEXT] [--unsubscribe-url URL]
                              [--logo PNG] STORE_DIR PDF_FILE RECIPIENT...

Every recipient named must have received exactly one message and nobody else any; each message
must be text and HTML alternatives from the IR contact with a List-Unsubscribe header and the
PDF attached (the quarterly summary, or the release's printable PDF for --kind release), whose
decoded bytes equal PDF_FILE's. --subject: the decoded Subject must be exactly TEXT (RFC 2047
words decoded by Python's parser). --unsubscribe-url: List-Unsubscribe must hold the mailto and
URL?list=<kind's list>&email=<the recipient>, with List-Unsubscribe-Post: List-Unsubscribe=One-Click
(RFC 8058). --logo: the HTML must show that PNG, attached inline in a multipart/related beside
it, by its Content-ID.
"""

import argparse
import email
import email.policy
import re
import sys
import urllib.parse
from collections import Counter
from pathlib import Path


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check_unsubscribe(path, message, to, url, kind):
    header = " ".join(str(message["List-Unsubscribe"]).split())
    links = re.findall(r"<([^<>]*)>", header)
    wanted = "%s?list=%s&email=%s" % (url, "releases" if kind == "release" else "quarterly",
                                      urllib.parse.quote(to, safe=""))
    if not links or not links[0].startswith("mailto:") or wanted not in links[1:]:
        fail("%s: List-Unsubscribe should be the mailto and %s, found %r" % (path.name, wanted, header))
    post = str(message["List-Unsubscribe-Post"] or "").strip()
    if post != "List-Unsubscribe=One-Click":
        fail("%s: List-Unsubscribe-Post should be List-Unsubscribe=One-Click, found %r" % (path.name, post))


def check_logo(path, message, png):
    related = [part for part in message.walk() if part.get_content_type() == "multipart/related"]
    if len(related) != 1:
        fail("%s: expected the HTML and the logo in one multipart/related" % path.name)
    parts = list(related[0].iter_parts())
    html = [p for p in parts if p.get_content_type() == "text/html"]
    images = [p for p in parts if p.get_content_type() == "image/png"]
    if len(html) != 1 or len(images) != 1:
        fail("%s: multipart/related should hold the HTML and one PNG" % path.name)
    cid = str(images[0]["Content-ID"]).strip().strip("<>")
    if ('src="cid:%s"' % cid) not in html[0].get_content():
        fail("%s: the HTML does not show the logo by its Content-ID %s" % (path.name, cid))
    if images[0].get_content() != png:
        fail("%s: the inline logo differs from the PNG after decoding" % path.name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=["quarterly", "release"], default="quarterly")
    parser.add_argument("--subject")
    parser.add_argument("--unsubscribe-url")
    parser.add_argument("--logo")
    parser.add_argument("store")
    parser.add_argument("pdf")
    parser.add_argument("expected", nargs="+")
    args = parser.parse_args()
    store, pdf_path, expected = Path(args.store), Path(args.pdf), args.expected
    logo = Path(args.logo).read_bytes() if args.logo else None
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
        quarterly = args.kind == "quarterly"
        if "Dear" not in alternative or quarterly != ("Quarterly" in message["Subject"]):
            fail("%s: unexpected text or subject: %r" % (path.name, message["Subject"]))
        if args.subject is not None and str(message["Subject"]) != args.subject:
            fail("%s: the subject should be %r, found %r" % (path.name, args.subject, str(message["Subject"])))
        if args.unsubscribe_url:
            check_unsubscribe(path, message, to.lower(), args.unsubscribe_url, args.kind)
        if logo is not None:
            check_logo(path, message, logo)
        if "<" not in message["From"] or "@" not in message["From"]:
            fail("%s: From should name the IR contact, found %r" % (path.name, message["From"]))
        if not message["List-Unsubscribe"] or not message["Message-ID"]:
            fail("%s: List-Unsubscribe and Message-ID are required" % path.name)
        attachments = [a for a in message.iter_attachments() if a.get_content_type() == "application/pdf"]
        if len(attachments) != 1:
            fail("%s: expected one attachment, found %d" % (path.name, len(attachments)))
        attachment = attachments[0]
        if attachment.get_content_type() != "application/pdf":
            fail("%s: attachment is %s" % (path.name, attachment.get_content_type()))
        name = attachment.get_filename() or ""
        if not (name.endswith(".pdf") and ("-Quarterly-Summary-" if quarterly else "-Release-") in name):
            fail("%s: attachment file name %r" % (path.name, name))
        if attachment.get_content() != pdf:
            fail("%s: the attached PDF differs from %s after decoding" % (path.name, pdf_path))
    wanted = Counter(address.lower() for address in expected)
    if received != wanted:
        fail("expected one message each for %s, received %s" % (dict(wanted), dict(received)))
    print("ok: %d %s messages, one per recipient, PDF intact (%d bytes)" % (len(files), args.kind, len(pdf)))


if __name__ == "__main__":
    main()
