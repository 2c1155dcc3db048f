//go:build !unix

package office

import (
	"os/exec"
	"time"
)

// run runs cmd and kills it past timeout.
func run(cmd *exec.Cmd, timeout time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		cmd.Process.Kill()
		<-done
		return errTimeout
	}
}
