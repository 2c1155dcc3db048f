//go:build unix

package office

import (
	"os/exec"
	"syscall"
	"time"
)

// run runs cmd in a process group of its own and, past timeout, kills the
// whole group (soffice is a script that starts oosplash and soffice.bin).
func run(cmd *exec.Cmd, timeout time.Duration) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
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
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return errTimeout
	}
}
