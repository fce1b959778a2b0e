package proxy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MaxMessageSize bounds one JSON-RPC message from the host. Larger messages
// are answered with an error and skipped; the session goes on.
const MaxMessageSize = 16 << 20

// StdioTransport is the host-facing transport for `airlock proxy`: newline-
// delimited JSON-RPC, like the go-sdk's, except that a malformed or oversized
// message is answered with a JSON-RPC error instead of ending the session.
type StdioTransport struct {
	In  io.Reader
	Out io.Writer
}

// Connect implements mcp.Transport.
func (t *StdioTransport) Connect(context.Context) (mcp.Connection, error) {
	c := &stdioConn{out: t.Out, incoming: make(chan readResult), closed: make(chan struct{})}
	go c.readLoop(t.In)
	return c, nil
}

type readResult struct {
	msg jsonrpc.Message
	err error
}

type stdioConn struct {
	out      io.Writer
	writeMu  sync.Mutex
	incoming chan readResult
	closed   chan struct{}
	once     sync.Once

	// The go-sdk handles initialize concurrently with what follows; a host
	// that sends "initialized" without waiting for the answer would have
	// its session closed. Reads after initialize wait for its response.
	initMu   sync.Mutex
	initID   jsonrpc.ID
	initDone chan struct{}
}

func (c *stdioConn) SessionID() string { return "" }

func (c *stdioConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	c.initMu.Lock()
	wait := c.initDone
	c.initMu.Unlock()
	if wait != nil {
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.closed:
			return nil, io.EOF
		}
	}
	select {
	case r := <-c.incoming:
		if req, ok := r.msg.(*jsonrpc.Request); ok && req.Method == "initialize" && req.IsCall() {
			c.initMu.Lock()
			c.initID, c.initDone = req.ID, make(chan struct{})
			c.initMu.Unlock()
		}
		return r.msg, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.closed:
		return nil, io.EOF
	}
}

func (c *stdioConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	data, err := jsonrpc.EncodeMessage(msg)
	if err != nil {
		return err
	}
	err = c.writeLine(data)
	if resp, ok := msg.(*jsonrpc.Response); ok {
		c.initMu.Lock()
		if c.initDone != nil && resp.ID == c.initID {
			close(c.initDone)
			c.initDone = nil
		}
		c.initMu.Unlock()
	}
	return err
}

func (c *stdioConn) writeLine(data []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	select {
	case <-c.closed:
		return io.EOF
	default:
	}
	buf := make([]byte, 0, len(data)+1)
	buf = append(append(buf, data...), '\n')
	_, err := c.out.Write(buf)
	return err
}

func (c *stdioConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

// readLoop reads lines until EOF, answering bad ones itself.
func (c *stdioConn) readLoop(in io.Reader) {
	r := bufio.NewReaderSize(in, 64<<10)
	for {
		line, tooLong, err := readLine(r, MaxMessageSize)
		if tooLong {
			c.reply(nil, jsonrpc.CodeInvalidRequest, "message larger than 16 MiB; skipped")
		} else if len(bytes.TrimSpace(line)) > 0 {
			if msg, ok := c.decode(line); ok {
				select {
				case c.incoming <- readResult{msg: msg}:
				case <-c.closed:
					return
				}
			}
		}
		if err != nil {
			// EOF or a broken stdin: either way the host is gone.
			select {
			case c.incoming <- readResult{err: io.EOF}:
			case <-c.closed:
			}
			return
		}
	}
}

// decode parses one message; for a bad one it writes the error response the
// JSON-RPC spec asks for and reports false.
func (c *stdioConn) decode(line []byte) (jsonrpc.Message, bool) {
	line = bytes.TrimSpace(line)
	if !json.Valid(line) {
		c.reply(nil, jsonrpc.CodeParseError, "parse error: not valid JSON")
		return nil, false
	}
	if line[0] == '[' {
		c.reply(nil, jsonrpc.CodeInvalidRequest, "invalid request: JSON-RPC batches are not supported")
		return nil, false
	}
	msg, err := jsonrpc.DecodeMessage(line)
	if err != nil {
		c.reply(requestID(line), jsonrpc.CodeInvalidRequest, "invalid request: "+err.Error())
		return nil, false
	}
	if resp, ok := msg.(*jsonrpc.Response); ok && resp.Result == nil && resp.Error == nil {
		c.reply(requestID(line), jsonrpc.CodeInvalidRequest, "invalid request: no method, result or error")
		return nil, false
	}
	return msg, true
}

// requestID digs the id out of an invalid request, when it has a usable one.
func requestID(line []byte) json.RawMessage {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(line, &probe) != nil || len(probe.ID) == 0 {
		return nil
	}
	switch probe.ID[0] {
	case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return probe.ID
	}
	return nil
}

func (c *stdioConn) reply(id json.RawMessage, code int64, message string) {
	if id == nil {
		id = json.RawMessage("null")
	}
	resp := struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int64  `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id}
	resp.Error.Code, resp.Error.Message = code, message
	data, _ := json.Marshal(resp)
	_ = c.writeLine(data)
}

// readLine reads one '\n'-terminated line of at most max bytes. A longer line
// is consumed and dropped, reported as tooLong.
func readLine(r *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, isPrefix, err := r.ReadLine()
		if !tooLong {
			if len(line)+len(chunk) > max {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err != nil || !isPrefix {
			return line, tooLong, err
		}
	}
}
