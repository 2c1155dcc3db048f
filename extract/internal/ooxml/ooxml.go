// Package ooxml opens Office Open XML packages (.docx, .xlsx) safely: the
// zip container is refused before it is indexed when it lists too many
// entries, and a part is read only up to a size cap whatever its header
// claims (zip bombs). It also reads the package's core properties
// (docProps/core.xml).
package ooxml

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits on a package. A report has a few dozen entries and a document
// part of a few MB.
const (
	MaxEntries  = 5000     // entries in the zip's central directory
	MaxPartSize = 64 << 20 // uncompressed bytes of one part
)

// ErrTooLarge is wrapped by the errors about packages past the limits.
var ErrTooLarge = errors.New("past the size limits (zip bomb?)")

// Entries returns the number of entries the zip's end-of-central-directory
// record announces, without indexing the directory. A zip64 directory
// (which announces 0xFFFF) counts as too many.
func Entries(data []byte) (int, error) {
	const eocdLen = 22
	if len(data) < eocdLen {
		return 0, errors.New("not a zip file: too short")
	}
	// the record sits at the end, before a comment of up to 64 KiB
	lo := len(data) - eocdLen - 0xFFFF
	if lo < 0 {
		lo = 0
	}
	i := bytes.LastIndex(data[lo:], []byte("PK\x05\x06"))
	if i < 0 || lo+i+eocdLen > len(data) {
		return 0, errors.New("not a zip file: no end of central directory")
	}
	n := int(binary.LittleEndian.Uint16(data[lo+i+10:]))
	if n == 0xFFFF {
		return 0, fmt.Errorf("zip64 directory: %w", ErrTooLarge)
	}
	return n, nil
}

// Open indexes a package, refusing one with more than MaxEntries entries
// before the directory is read into memory.
func Open(data []byte) (*zip.Reader, error) {
	n, err := Entries(data)
	if err != nil {
		return nil, err
	}
	if n > MaxEntries {
		return nil, fmt.Errorf("%d zip entries, more than %d: %w", n, MaxEntries, ErrTooLarge)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a zip file: %v", err)
	}
	return zr, nil
}

// Find returns the entry named name (case-insensitively, without a leading
// slash), or nil.
func Find(zr *zip.Reader, name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(f.Name, "/"), name) {
			return f
		}
	}
	return nil
}

// Part opens an entry for reading if its header declares at most max
// uncompressed bytes. An entry that inflates past what its header declares
// is stopped by archive/zip itself (zip.ErrFormat), so max bounds the read.
func Part(f *zip.File, max int64) (io.ReadCloser, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%s: %d bytes uncompressed, more than %d: %w", f.Name, f.UncompressedSize64, max, ErrTooLarge)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.Name, err)
	}
	return rc, nil
}

// ReadPart reads a whole entry of at most max bytes.
func ReadPart(f *zip.File, max int64) ([]byte, error) {
	rc, err := Part(f, max)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.Name, err)
	}
	return b, nil
}

// Relationship types of the parts this project reads.
const (
	RelOfficeDocument = "officeDocument"
	RelStyles         = "styles"
	RelNumbering      = "numbering"
)

// Rels reads the relationships of a part ("" for the package's own) and
// returns, per relationship type's last path element (officeDocument,
// styles …), the target's entry name. External targets are left out.
func Rels(zr *zip.Reader, part string) map[string]string {
	dir, base := path.Split(part)
	f := Find(zr, path.Join(dir, "_rels", base+".rels"))
	out := map[string]string{}
	if f == nil {
		return out
	}
	b, err := ReadPart(f, 4<<20)
	if err != nil {
		return out
	}
	var rels struct {
		Rel []struct {
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(b, &rels) != nil {
		return out
	}
	for _, r := range rels.Rel {
		if strings.EqualFold(r.TargetMode, "External") {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		k := path.Base(r.Type)
		if _, dup := out[k]; !dup {
			out[k] = t
		}
	}
	return out
}

// Core reads docProps/core.xml (or wherever the package's relationships
// put the core properties) into meta: "doc_title", "created" and
// "modified" (as written, W3CDTF), when present and not blank.
func Core(zr *zip.Reader, meta map[string]string) {
	name := Rels(zr, "")["core-properties"]
	if name == "" {
		name = "docProps/core.xml"
	}
	f := Find(zr, name)
	if f == nil {
		return
	}
	b, err := ReadPart(f, 1<<20)
	if err != nil {
		return
	}
	var core struct {
		Title    string `xml:"title"`
		Created  string `xml:"created"`
		Modified string `xml:"modified"`
	}
	if xml.Unmarshal(b, &core) != nil {
		return
	}
	for k, v := range map[string]string{"doc_title": core.Title, "created": core.Created, "modified": core.Modified} {
		if v = strings.TrimSpace(v); v != "" {
			meta[k] = v
		}
	}
}
