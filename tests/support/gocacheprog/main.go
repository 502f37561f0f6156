// Command gocacheprog is a GOCACHEPROG program (Go >= 1.24; protocol in the Go sources,
// cmd/go/internal/cacheprog) for the tests: a build cache shared by several "machines",
// the way a CI fleet shares one through a bucket or a cache server, reduced to a directory.
//
//	gocacheprog -shared DIR -local DIR -log FILE
//
// -shared holds the cache every machine reads and writes (a/<action id> records the output
// id and size, o/<output id> the bytes); -local is this machine's disk, where the bodies the
// go command reads (Response.DiskPath) are copied; -log gets one JSON line per request,
// {"Command":"get","ActionID":"…","Hit":true} (puts also name the OutputID and Size), so a
// test can see what the go command asked and what the shared cache served. Files are written
// to a temporary name and renamed, so concurrent go commands (one cache program each) never
// read half an object.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// request and response mirror cmd/go/internal/cacheprog's Request and Response.
type request struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

type response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

// entry is what a/<action id> holds.
type entry struct {
	OutputID string
	Size     int64
	Time     time.Time
}

type cache struct {
	shared, local string
	log           *os.File
}

// writeAtomically writes data to path through a temporary file in the same directory.
func writeAtomically(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// record appends one line per request; one write per line keeps lines whole (O_APPEND).
// outputID and size are those of a put (empty and 0 for a get).
func (c *cache) record(command string, actionID []byte, hit bool, outputID string, size int64) {
	line, _ := json.Marshal(struct {
		Command  string
		ActionID string
		Hit      bool
		OutputID string `json:",omitempty"`
		Size     int64  `json:",omitempty"`
	}{command, hex.EncodeToString(actionID), hit, outputID, size})
	c.log.Write(append(line, '\n'))
}

// localCopy makes this machine's copy of output id `out` (the go command reads it there).
func (c *cache) localCopy(out string, body []byte) (string, error) {
	path := filepath.Join(c.local, "o", out)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if body == nil {
		var err error
		if body, err = os.ReadFile(filepath.Join(c.shared, "o", out)); err != nil {
			return "", err
		}
	}
	return path, writeAtomically(path, body)
}

func (c *cache) get(req request) response {
	action := hex.EncodeToString(req.ActionID)
	data, err := os.ReadFile(filepath.Join(c.shared, "a", action))
	var e entry
	if err != nil || json.Unmarshal(data, &e) != nil {
		c.record("get", req.ActionID, false, "", 0)
		return response{ID: req.ID, Miss: true}
	}
	path, err := c.localCopy(e.OutputID, nil)
	if err != nil { // the body went missing: a miss, the go command rebuilds and puts it
		c.record("get", req.ActionID, false, "", 0)
		return response{ID: req.ID, Miss: true}
	}
	out, _ := hex.DecodeString(e.OutputID)
	c.record("get", req.ActionID, true, "", 0)
	return response{ID: req.ID, OutputID: out, Size: e.Size, Time: &e.Time, DiskPath: path}
}

func (c *cache) put(req request, body []byte) response {
	out := hex.EncodeToString(req.OutputID)
	if int64(len(body)) != req.BodySize {
		return response{ID: req.ID, Err: fmt.Sprintf("put: body of %d bytes, BodySize %d", len(body), req.BodySize)}
	}
	record, _ := json.Marshal(entry{OutputID: out, Size: req.BodySize, Time: time.Now().UTC()})
	err := writeAtomically(filepath.Join(c.shared, "o", out), body)
	if err == nil {
		err = writeAtomically(filepath.Join(c.shared, "a", hex.EncodeToString(req.ActionID)), record)
	}
	path := ""
	if err == nil {
		path, err = c.localCopy(out, body)
	}
	c.record("put", req.ActionID, false, out, req.BodySize)
	if err != nil {
		return response{ID: req.ID, Err: err.Error()}
	}
	return response{ID: req.ID, DiskPath: path}
}

func main() {
	shared := flag.String("shared", "", "the cache directory all machines share")
	local := flag.String("local", "", "this machine's directory for the bodies the go command reads")
	logPath := flag.String("log", os.DevNull, "file to append one JSON line per request to")
	flag.Parse()
	if *shared == "" || *local == "" {
		log.Fatal("gocacheprog: -shared and -local are required")
	}
	logFile, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatalf("gocacheprog: %v", err)
	}
	absShared, _ := filepath.Abs(*shared)
	absLocal, _ := filepath.Abs(*local)
	c := &cache{shared: absShared, local: absLocal, log: logFile}

	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	send := func(r response) {
		if err := enc.Encode(r); err != nil {
			log.Fatalf("gocacheprog: %v", err)
		}
		out.Flush()
	}
	send(response{KnownCommands: []string{"get", "put", "close"}})

	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return
			}
			log.Fatalf("gocacheprog: reading a request: %v", err)
		}
		switch req.Command {
		case "get":
			send(c.get(req))
		case "put":
			var body []byte
			if req.BodySize > 0 { // a base64 JSON string follows; []byte decodes base64
				if err := dec.Decode(&body); err != nil {
					log.Fatalf("gocacheprog: reading a put body: %v", err)
				}
			}
			send(c.put(req, body))
		case "close":
			send(response{ID: req.ID})
			return
		default:
			send(response{ID: req.ID, Err: "unknown command " + strings.TrimSpace(req.Command)})
		}
	}
}
