package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/airlock-dev/airlock/internal/classify"
)

// maxClassifyLine bounds one input line, so a runaway producer cannot make
// the command hold unbounded memory.
const maxClassifyLine = 64 << 20

// classifyInput is one line of `airlock classify`: a tool as its server
// lists it and, optionally, the arguments of one call.
type classifyInput struct {
	Server    string          `json:"server"`
	Tool      *classify.Tool  `json:"tool"`
	Arguments json.RawMessage `json:"arguments"`
}

type classifyOutput struct {
	Tier    string   `json:"tier,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// runClassify reads JSON lines and prints one verdict per line, in order.
// A bad line gets an error line of its own; the rest still run.
func runClassify(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "classify")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: airlock classify < tools.jsonl

Reads one JSON object per line:
  {"server": "...", "tool": {"name", "title", "description", "annotations", "inputSchema"}, "arguments": {...}}
and prints one line per input, in order: {"tier": "read|write|destructive", "reasons": [...]}.
Without "arguments" the tool's definition is classified (its worst plausible use);
with them, that one call. A bad line prints {"error": "line N: ..."} and the rest go on.`)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}

	in := bufio.NewReaderSize(env.Stdin, 64<<10)
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	failed, total := 0, 0
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readLine(in)
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			total++
			res := classifyLine(line)
			if tooLong {
				res = classifyOutput{Error: fmt.Sprintf("longer than %d bytes", maxClassifyLine)}
			}
			if res.Error != "" {
				failed++
				res.Error = fmt.Sprintf("line %d: %s", n, res.Error)
			}
			if werr := enc.Encode(res); werr != nil {
				return fmt.Errorf("write result: %w", werr)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read line %d: %w", n, err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d lines could not be classified", failed, total)
	}
	return nil
}

// readLine reads one line of any length; a line longer than
// maxClassifyLine is consumed and reported as too long, so it fails alone.
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxClassifyLine {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, tooLong, err
	}
}

func classifyLine(line []byte) classifyOutput {
	var in classifyInput
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&in); err != nil {
		return classifyOutput{Error: "not a JSON object: " + err.Error()}
	}
	if dec.More() {
		return classifyOutput{Error: "more than one JSON value on the line"}
	}
	if in.Tool == nil {
		return classifyOutput{Error: `"tool" is missing`}
	}
	if in.Tool.Name == "" {
		return classifyOutput{Error: `"tool.name" is missing`}
	}
	var res classify.Result
	if in.Arguments == nil {
		res = classify.Definition(*in.Tool)
	} else {
		res = classify.Call(*in.Tool, in.Arguments)
	}
	reasons := res.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	return classifyOutput{Tier: res.Tier.String(), Reasons: reasons}
}
