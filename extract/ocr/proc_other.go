//go:build !linux

package ocr

import "os/exec"

// ownGroup: elsewhere than Linux the process alone is killed when its
// context ends.
func ownGroup(cmd *exec.Cmd) {}
