#!/usr/bin/env python3
"""Write a report page as a "single file web page" (MHTML), as Word writes one.

usage: mhtml.py PAGE.html > PAGE.mht

LibreOffice cannot write MHTML, so this builds the structure Word's "Save as
web page, single file" (and the CMS exports that copy it) produces:

  - headers MIME-Version: 1.0 and Content-Type: multipart/related with a
    ----=_NextPart_ boundary, then Word's preamble (in Chinese, GB2312);
  - first part: the page, Content-Location file:///C:/<dir>/file.htm,
    Content-Transfer-Encoding quoted-printable, Content-Type text/html;
    charset="gb2312": the page's UTF-8 bytes are re-encoded as GB18030 (GBK
    and GB2312 are its subsets; Word labels its Chinese pages gb2312) and the
    page's <meta charset="utf-8"> becomes charset="gb2312", so the page does
    not contradict its part; nothing else of the page changes;
  - an image part (base64): a 1x1 white PNG made here, standing in for the
    pictures Word saves in file.files/;
  - filelist.xml (quoted-printable), listing the parts as Word does.

The output is deterministic (fixed boundary and directory names). Only the
standard library is used.
"""
import base64
import quopri
import struct
import sys
import zlib

BOUNDARY = "----=_NextPart_01DA3F2B.6C1E8A40"
DIR = "file:///C:/D2A8B7C6/"


def png_1x1():
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def qp(data):
    # Word ends lines with CRLF and breaks quoted-printable lines at 76.
    return quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def b64(data):
    s = base64.b64encode(data)
    return b"\r\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + b"\r\n"


def part(headers, body):
    h = "".join("%s: %s\r\n" % kv for kv in headers).encode("ascii")
    return b"\r\n--" + BOUNDARY.encode("ascii") + b"\r\n" + h + b"\r\n" + body


def main():
    page = open(sys.argv[1], "rb").read().decode("utf-8")
    page = page.replace('charset="utf-8"', 'charset="gb2312"', 1)
    out = [
        ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"%s\"\r\n\r\n" % BOUNDARY).encode("ascii"),
        "此文档为“单个文件网页”，也称为“Web 档案”文件。如果您看到此消息，但是您的浏览器或编辑器不支持“Web 档案”文件。请下载支持“Web 档案”的浏览器。\r\n".encode("gb18030"),
        part([("Content-Location", DIR + "file.htm"), ("Content-Transfer-Encoding", "quoted-printable"),
              ("Content-Type", 'text/html; charset="gb2312"')], qp(page.encode("gb18030"))),
        part([("Content-Location", DIR + "file.files/image001.png"), ("Content-Transfer-Encoding", "base64"),
              ("Content-Type", "image/png")], b64(png_1x1())),
        part([("Content-Location", DIR + "file.files/filelist.xml"), ("Content-Transfer-Encoding", "quoted-printable"),
              ("Content-Type", 'text/xml; charset="utf-8"')],
             qp(b'<xml xmlns:o="urn:schemas-microsoft-com:office:office">\n <o:MainFile HRef="../file.htm"/>\n'
                b' <o:File HRef="image001.png"/>\n <o:File HRef="filelist.xml"/>\n</xml>')),
        b"\r\n--" + BOUNDARY.encode("ascii") + b"--\r\n",
    ]
    sys.stdout.buffer.write(b"".join(out))


if __name__ == "__main__":
    main()
