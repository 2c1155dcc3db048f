package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// outFile is a file the user named for output, written so that a failure
// leaves whatever was there untouched: the bytes go to a temporary file
// beside the target, renamed over it by Commit. A target that exists and
// is not a regular file (/dev/stdout, a named pipe, a device) is written
// in place and never removed or replaced.
type outFile struct {
	*os.File
	target string // the path renamed over; "" when writing in place
}

// createOut opens path for output (see outFile).
func createOut(path string) (*outFile, error) {
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// Replace the file the link names, not the link.
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return nil, err
		}
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("%s is a folder", path)
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &outFile{File: f}, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	tmp := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".tmp-"+hex.EncodeToString(suffix[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, err
	}
	if fi != nil {
		f.Chmod(fi.Mode().Perm()) // the replaced file's permissions
	}
	return &outFile{File: f, target: target}, nil
}

// Commit closes the file and puts it in place.
func (o *outFile) Commit() error {
	if err := o.File.Sync(); err != nil && o.target != "" {
		o.Abort()
		return err
	}
	if err := o.File.Close(); err != nil {
		o.Abort()
		return err
	}
	if o.target == "" {
		return nil
	}
	if err := os.Rename(o.File.Name(), o.target); err != nil {
		os.Remove(o.File.Name())
		return err
	}
	return nil
}

// Abort closes the file and removes the temporary file; the target is
// left as it was.
func (o *outFile) Abort() {
	o.File.Close()
	if o.target != "" {
		os.Remove(o.File.Name())
	}
}
