"""The warm converter's inside: run by LibreOffice's own Python (the one with the `uno` module), never imported
by the app.

It starts one LibreOffice listening on a private UNO pipe, then converts on request: one JSON line in on
stdin ({"source", "target", "filter", "options"}), one JSON line out on stdout ({"ok": true} or {"error",
"dead"}). Keeping LibreOffice loaded saves its start (1.5–3 s) on every document. It is the leader of its own
process group, so the app stops it and its LibreOffice together with one killpg; and when the app goes
(stdin closed, or the parent process gone while LibreOffice starts) it takes its LibreOffice with it.

Only the standard library and `uno`: it runs outside the app's virtualenv.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

CONNECT_STEP = 0.05  # seconds between two attempts to reach the starting LibreOffice
STOP_GRACE = 5  # seconds LibreOffice gets to close its profile before the whole group is killed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--lock-fd", type=int, required=True)
    args = parser.parse_args()
    parent = os.getppid()
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but replies on the channel the app reads
    office = subprocess.Popen(
        [args.soffice, "-env:UserInstallation=" + uno.systemPathToFileUrl(args.profile), "--headless",
         "--invisible", "--nocrashreport", "--nodefault", "--nologo", "--nofirststartwizard", "--norestore",
         f"--accept=pipe,name={args.pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=sys.stderr, stderr=sys.stderr, pass_fds=(args.lock_fd,))
    os.close(args.lock_fd)  # LibreOffice holds the profile's lock from now on
    signal.signal(signal.SIGTERM, lambda *_: _stop_group())
    try:
        desktop = _connect(args.pipe, office, parent)
        if desktop is None:
            _reply(out, {"error": f"LibreOffice stopped while starting (status {office.poll()})"})
            return 1
        _warm_up(desktop, office, args.profile)
        _reply(out, {"ready": True, "soffice": office.pid})
        for line in sys.stdin:
            _reply(out, _convert(desktop, office, json.loads(line)))
        _stop(desktop, office)  # the app closed our stdin: it is stopping, or gone
    finally:  # whatever happened (a reply to an app that died raises BrokenPipeError), LibreOffice goes with us
        _stop_group()
    return 0


def _connect(pipe: str, office: subprocess.Popen, parent: int):
    """The Desktop of the LibreOffice just started, once it accepts; None if it exited first."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        if office.poll() is not None:
            return None
        if os.getppid() != parent:  # the app died while we started: nobody will ever ask anything
            _stop_group()
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # NoConnectException until LibreOffice listens
            time.sleep(CONNECT_STEP)
            continue
        return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _property(name: str, value) -> PropertyValue:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def _value(kind: str, value: str):
    """An option as the app types it for `--convert-to` (("long", "2")), as a Python value UNO converts."""
    if kind == "boolean":
        return value == "true"
    if kind == "long":
        return int(value)
    return value


def _convert(desktop, office: subprocess.Popen, request: dict) -> dict:
    if office.poll() is not None:
        return {"error": f"LibreOffice exited (status {office.returncode})", "dead": True}
    document = None
    try:
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(request["source"]), "_blank", 0,
            (_property("Hidden", True), _property("ReadOnly", True), _property("UpdateDocMode", 0),
             _property("MacroExecutionMode", 0)))
        if document is None:
            return {"error": "Error: source file could not be loaded", "dead": False}
        filter_data = tuple(_property(key, _value(kind, value))
                            for key, (kind, value) in request.get("options", {}).items())
        arguments = (_property("FilterName", request["filter"]),
                     _property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", filter_data)))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(request["target"]), arguments))
        return {"ok": True}
    except Exception as exc:  # a UNO exception: the document's fault, or LibreOffice's death
        return {"error": f"{type(exc).__name__}: {exc}"[:500], "dead": not _alive(desktop, office)}
    finally:
        if document is not None:
            try:
                document.close(True)
            except Exception:
                pass


def _warm_up(desktop, office: subprocess.Popen, profile: str) -> None:
    """One DOCX → PDF of a document made here, so that the first real conversion finds the Word import, the
    layout and the PDF export loaded (it would otherwise take twice as long as the next ones)."""
    source, target = os.path.join(profile, "warm-up.docx"), os.path.join(profile, "warm-up.pdf")
    try:
        document = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0,
                                                (_property("Hidden", True),))
        document.getText().setString("Dossier de candidature — préchauffage")
        document.storeToURL(uno.systemPathToFileUrl(source), (_property("FilterName", "MS Word 2007 XML"),))
        document.close(True)
    except Exception as exc:  # not worth failing the start for: the first conversion is only slower
        print(f"warm-up skipped: {exc}", file=sys.stderr)
        return
    _convert(desktop, office, {"source": source, "target": target, "filter": "writer_pdf_Export"})


def _alive(desktop, office: subprocess.Popen) -> bool:
    if office.poll() is not None:
        return False
    try:
        desktop.getCurrentComponent()  # any call crosses the bridge: it fails once LibreOffice is gone
    except Exception:
        return False
    return True


def _reply(out, message: dict) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def _stop(desktop, office: subprocess.Popen) -> None:
    """Let LibreOffice close its profile cleanly, within STOP_GRACE; then nothing of the group is left."""
    signal.signal(signal.SIGALRM, lambda *_: _stop_group())
    signal.alarm(STOP_GRACE)
    try:
        desktop.terminate()
    except Exception:  # the bridge goes down with LibreOffice: expected
        pass
    office.wait()
    _stop_group()


def _stop_group() -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
