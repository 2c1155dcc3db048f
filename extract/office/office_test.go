package office

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"govreport"
)

const testdata = "../../testdata"

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		file      string
		kind      string
		encrypted bool
	}{
		{testdata + "/forms/2023_pingtan_1.html__soffice.doc", KindDoc, false},
		{testdata + "/forms/template_blank_guoban2021_1.docx__soffice.doc", KindDoc, false},
		{testdata + "/forms/2023_pingtan_1.html__tables.xls", KindXLS, false},
		{"../testdata/encrypted/template_blank_guoban2021_1_password.doc", KindDoc, true},
		{"../testdata/encrypted/2023_pingtan_1_tables_password.xls", KindXLS, true},
		{"../testdata/encrypted/template_blank_guoban2021_1_password.docx", KindOOXML, true},
		{"../testdata/encrypted/2023_pingtan_1_tables_password.xlsx", KindOOXML, true},
		{testdata + "/corpus/template_blank_guoban2021_1.docx", "", false},
	} {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if k, enc := Sniff(b); k != tc.kind || enc != tc.encrypted {
			t.Errorf("%s: %q encrypted=%v, want %q %v", filepath.Base(tc.file), k, enc, tc.kind, tc.encrypted)
		}
	}
	// a damaged compound file: the signature, then nothing that holds
	if k, enc := Sniff([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage")); k != "" || enc {
		t.Errorf("damaged: %q %v", k, enc)
	}
}

func FuzzSniff(f *testing.F) {
	for _, name := range []string{testdata + "/forms/2023_pingtan_1.html__tables.xls", "../testdata/encrypted/template_blank_guoban2021_1_password.doc"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(data)
	})
}

// fakeSoffice puts a script named soffice first in PATH.
func fakeSoffice(t *testing.T, script string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "soffice"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

func TestConvertWithoutLibreOffice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, tc := range []struct{ from, to, pkg string }{{"doc", "docx", "libreoffice-writer-nogui"}, {"wps", "docx", "libreoffice-writer-nogui"}, {"xls", "xlsx", "libreoffice-calc-nogui"}} {
		_, err := Convert([]byte("x"), tc.from, tc.to, 0)
		if !errors.Is(err, govreport.ErrUnsupported) || !strings.Contains(err.Error(), "install the Debian package "+tc.pkg) || !strings.Contains(err.Error(), "reading "+tc.from) {
			t.Errorf("%s: %v", tc.from, err)
		}
	}
}

// A conversion past its time limit: soffice and the process it started
// are killed.
func TestConvertTimeout(t *testing.T) {
	for _, c := range []string{"sh", "sleep"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skip("no " + c)
		}
	}
	dir := fakeSoffice(t, `sleep 60 &
echo $! > "`+"$0"+`.child"
wait
`)
	start := time.Now()
	_, err := Convert([]byte("x"), "doc", "docx", 500*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "timed out after 500ms (soffice killed)") {
		t.Fatalf("error %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("returned after %s", d)
	}
	b, err := os.ReadFile(filepath.Join(dir, "soffice.child"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	for i := 0; ; i++ {
		st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || bytes.Contains(st, []byte(") Z ")) {
			break // gone, or a zombie waiting for its new parent
		}
		if i == 50 {
			t.Fatalf("soffice's child %d still runs", pid)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestConvertFails(t *testing.T) {
	for _, tc := range []struct{ name, script, want string }{
		{"exit status", "echo 'Error: something broke' >&2; exit 3\n", "LibreOffice could not convert doc to docx: exit status 3 (Error: something broke)"},
		{"no output", "echo 'Error: source file could not be loaded'\n", "LibreOffice could not convert doc to docx: no output (Error: source file could not be loaded)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fakeSoffice(t, tc.script)
			_, err := Convert([]byte("x"), "doc", "docx", 0)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v\nwant %s", err, tc.want)
			}
		})
	}
}

func needSoffice(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice (soffice) is not installed: Debian packages libreoffice-writer-nogui, libreoffice-calc-nogui")
	}
}

func TestConvert(t *testing.T) {
	needSoffice(t)
	for _, tc := range []struct{ file, from, to, part string }{
		{testdata + "/forms/2023_pingtan_1.html__tables.xls", "xls", "xlsx", "xl/workbook.xml"},
	} {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Convert(b, tc.from, tc.to, 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if !bytes.HasPrefix(out, []byte("PK\x03\x04")) || !bytes.Contains(out, []byte(tc.part)) {
			t.Errorf("%s: not a %s package", tc.file, tc.to)
		}
	}
	// a real failure: a .doc cut after its first 4 KiB
	b, _ := os.ReadFile(testdata + "/forms/2023_pingtan_1.html__soffice.doc")
	if _, err := Convert(b[:4096], "doc", "docx", 0); err == nil || !strings.Contains(err.Error(), "LibreOffice could not convert doc to docx") {
		t.Errorf("truncated doc: %v", err)
	}
}
