//go:build keychain && linux

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/airlock-dev/airlock/internal/secrets"
)

// `airlock secret set` in a terminal reads the value without echo: on a
// real pseudo-terminal, the value typed after the prompt is stored in the
// keychain and never appears in what the terminal shows.
func TestSecretSetInTerminalDoesNotEcho(t *testing.T) {
	_, ctx, home, env := keychainSetup(t)
	master, slave := openPTY(t)
	value := "typed-" + strings.ToLower(rand.Text())
	name := "E2E_TTY_" + strings.ToUpper(rand.Text()[:6])
	t.Cleanup(func() { _, _, _ = airlockWith(t, context.Background(), env, "", "secret", "rm", name) })

	cmd := exec.CommandContext(ctx, buildAirlock(t), "secret", "set", name)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var shown bytes.Buffer
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			shown.Write(buf[:n])
			if err != nil {
				done <- err
				return
			}
		}
	}()
	// Type only once the terminal stopped echoing (the command turns echo
	// off right after its prompt): typed earlier, the line discipline
	// would echo it whatever the command does.
	for {
		tio, err := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("echo never turned off; the terminal showed %q", shown.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := master.Write([]byte(value + "\r")); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("secret set: %v; the terminal showed %q", err, shown.String())
	}
	<-done // EIO once the last holder of the slave exits
	if strings.Contains(shown.String(), value) {
		t.Fatalf("the value was shown: %q", shown.String())
	}
	if !strings.Contains(shown.String(), "value for "+name+" (not shown)") || !strings.Contains(shown.String(), "stored "+name) {
		t.Errorf("the terminal showed %q", shown.String())
	}
	got, err := secrets.New(home, secrets.OS{}).Get(ctx, name)
	if err != nil || got != value {
		t.Fatalf("keychain holds %q, %v; want the typed value", got, err)
	}
}

// openPTY opens a pseudo-terminal pair.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty slave: %v", err)
	}
	return m, s
}
