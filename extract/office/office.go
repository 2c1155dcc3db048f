// Package office handles the binary Office formats a report is published
// in (Word 97–2003 .doc, WPS Office .wps, Excel 97–2003 .xls, RTF): it tells
// what an OLE2 compound file holds and whether it is encrypted, and converts
// a file to its Office Open XML form (.docx, .xlsx) with LibreOffice, which
// must be installed (soffice in PATH; the Debian packages
// libreoffice-writer-nogui and libreoffice-calc-nogui).
package office

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/richardlehane/mscfb"

	"govreport"
)

// What an OLE2 compound file holds, as Sniff names it.
const (
	KindDoc   = "doc"   // a WordDocument stream (Word, WPS Office)
	KindXLS   = "xls"   // a Workbook or Book stream (Excel, WPS spreadsheets)
	KindOOXML = "ooxml" // an EncryptedPackage: a .docx or .xlsx under a password
)

// IsOLE2 reports whether data starts with the compound file signature.
func IsOLE2(data []byte) bool {
	return bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
}

// Sniff reads an OLE2 compound file's directory and returns what it holds
// (KindDoc, KindXLS, KindOOXML, or "" when none of these or unreadable) and
// whether its content is encrypted (an encrypted OOXML package always is).
func Sniff(data []byte) (kind string, encrypted bool) {
	defer func() {
		if recover() != nil { // a malformed directory
			kind, encrypted = "", false
		}
	}()
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return "", false
	}
	for n := 0; n < 10000; n++ {
		f, err := r.Next()
		if err != nil {
			break
		}
		switch f.Name {
		case "EncryptedPackage":
			return KindOOXML, true
		case "WordDocument":
			kind, encrypted = KindDoc, wordEncrypted(f)
		case "Workbook", "Book":
			if kind == "" {
				kind, encrypted = KindXLS, workbookEncrypted(f)
			}
		}
	}
	return kind, encrypted
}

// wordEncrypted reads the FIB's fEncrypted bit (FibBase, offset 0x0A,
// bit 0x0100).
func wordEncrypted(f *mscfb.File) bool {
	var b [12]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	return binary.LittleEndian.Uint16(b[0:]) == 0xA5EC && binary.LittleEndian.Uint16(b[10:])&0x0100 != 0
}

// workbookEncrypted looks for a FILEPASS record (0x002F) among the first
// records of the workbook globals, before the first sheet's BOUNDSHEET.
func workbookEncrypted(f *mscfb.File) bool {
	var h [4]byte
	for i := 0; i < 64; i++ {
		if _, err := io.ReadFull(f, h[:]); err != nil {
			return false
		}
		typ, n := binary.LittleEndian.Uint16(h[0:]), int64(binary.LittleEndian.Uint16(h[2:]))
		switch typ {
		case 0x002F:
			return true
		case 0x0085, 0x000A: // BOUNDSHEET, EOF
			return false
		}
		if _, err := io.CopyN(io.Discard, f, n); err != nil {
			return false
		}
	}
	return false
}

// Packages that provide soffice's filters, for the message when it is
// missing.
const (
	writerPackage = "libreoffice-writer-nogui"
	calcPackage   = "libreoffice-calc-nogui"
)

// filters are soffice's export filters per target format.
var filters = map[string]string{
	"docx": "docx:MS Word 2007 XML",
	"xlsx": "xlsx:Calc MS Excel 2007 XML",
}

// DefaultTimeout bounds a conversion when the caller gives no limit.
const DefaultTimeout = 60 * time.Second

// Convert converts a file of format from (doc, wps, rtf, xls: used as the
// input's extension) to format to (docx or xlsx) with LibreOffice. soffice
// runs in a private temporary directory (its own profile, so conversions in
// parallel do not collide), removed afterwards; past timeout (0:
// DefaultTimeout) it is killed with its children. A caller converts one
// file at a time: each call starts its own soffice.
//
// Without soffice in PATH the error wraps govreport.ErrUnsupported and
// names the package to install.
func Convert(data []byte, from, to string, timeout time.Duration) ([]byte, error) {
	filter, ok := filters[to]
	if !ok {
		return nil, fmt.Errorf("office: no conversion to %s", to)
	}
	pkg := writerPackage
	if to == "xlsx" {
		pkg = calcPackage
	}
	bin, err := exec.LookPath("soffice")
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s needs LibreOffice, which is not installed (no soffice in PATH): install the Debian package %s", govreport.ErrUnsupported, from, pkg)
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	dir, err := os.MkdirTemp("", "govreport-soffice-")
	if err != nil {
		return nil, fmt.Errorf("office: %v", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in."+from)
	out := filepath.Join(dir, "out")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("office: %v", err)
	}
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.Command(bin, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
		"-env:UserInstallation="+profile, "--convert-to", filter, "--outdir", out, in)
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second // output pipes held open by a stray child
	if err := run(cmd, timeout); err != nil {
		if errors.Is(err, errTimeout) {
			return nil, fmt.Errorf("LibreOffice conversion of %s to %s timed out after %s (soffice killed)", from, to, timeout)
		}
		return nil, fmt.Errorf("LibreOffice could not convert %s to %s: %v%s", from, to, err, tail(stderr.String()))
	}
	b, err := os.ReadFile(filepath.Join(out, "in."+to))
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("LibreOffice could not convert %s to %s: no output%s", from, to, tail(stderr.String()))
	}
	return b, nil
}

var errTimeout = errors.New("timed out")

// tail is the last meaningful line soffice printed, for an error message.
func tail(out string) string {
	var last string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.Contains(l, "javaldx") {
			last = l
		}
	}
	if last == "" {
		return ""
	}
	if len(last) > 200 {
		last = last[:200]
	}
	return " (" + last + ")"
}
