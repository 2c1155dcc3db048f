#!/usr/bin/python3
"""Save Office documents under an open password with LibreOffice (UNO).

usage: /usr/bin/python3 encrypt_binary.py PASSWORD IN FILTER OUT [IN FILTER OUT ...]

Starts a private headless soffice, opens each IN, stores it as OUT with the
export FILTER ("MS Word 97" or "MS Excel 97": LibreOffice 7.4 encrypts the
binary formats; it saves OOXML without the password, see encrypt_ooxml.go)
and the given password, then quits. Needs python3-uno (Debian's /usr/bin/python3).
"""
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    password, jobs = sys.argv[1], sys.argv[2:]
    tmp = tempfile.mkdtemp()
    pipe = "govreport_encrypt_%d" % os.getpid()
    proc = subprocess.Popen(["soffice", "--headless", "--norestore", "--nologo",
                             "-env:UserInstallation=file://%s/profile" % tmp,
                             "--accept=pipe,name=%s;urp;" % pipe],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(100):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.2)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for i in range(0, len(jobs), 3):
            src, flt, out = jobs[i:i + 3]
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                               (prop("Hidden", True),))
            if doc is None:
                sys.exit("cannot open " + src)
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)),
                           (prop("FilterName", flt), prop("Password", password)))
            doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
