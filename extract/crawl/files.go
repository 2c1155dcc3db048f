package crawl

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// storeFile writes data under dir, content-addressed by its sha256
// (dir/ab/cdef….ext), through a temporary file renamed into place so a
// killed crawl never leaves a partial file under the final name. It returns
// the path relative to dir and the hash.
func storeFile(dir string, data []byte, ext string) (rel, sha string, err error) {
	sum := sha256.Sum256(data)
	sha = hex.EncodeToString(sum[:])
	full := StoredPath(dir, sha, ext)
	rel, _ = filepath.Rel(dir, full)
	if st, err := os.Stat(full); err == nil && st.Size() == int64(len(data)) {
		return rel, sha, nil
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(full), ".tmp-*")
	if err != nil {
		return "", "", err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", "", err
	}
	if err := tmp.Close(); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		return "", "", fmt.Errorf("storing %s: %w", rel, err)
	}
	return rel, sha, nil
}

// readStored reads a stored file back, checking its hash.
func readStored(dir, rel, sha string) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != sha {
		return nil, fmt.Errorf("stored file %s does not match its sha256", rel)
	}
	return data, nil
}
