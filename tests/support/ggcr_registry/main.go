// Command ggcr_registry serves go-containerregistry's in-memory registry
// (pkg/registry, with the OCI referrers API switched on) for the integration tests:
// a second registry implementation beside Debian's docker-registry.
//
// Its access log imitates docker-registry's, so the tests count requests the same way
// against either: one Apache combined-format line per request
// (`127.0.0.1 - - [date] "METHOD URI HTTP/1.1" STATUS BYTES "" "agent"`) and, at
// -log-level info, a logrus-style line before it that carries the client's port
// (`http.request.method=... http.request.remoteaddr="127.0.0.1:PORT" http.request.uri="..."`).
//
// Optional TLS (-tls-cert/-tls-key) and HTTP Basic auth (-user and -password-file, the
// password in plain text: a test fixture, never a real credential) mirror the
// docker-registry setups of tests/support/registry.sh. Started and stopped by that file.
package main

import (
	"crypto/subtle"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

// accessLog writes docker-registry-shaped lines; one mutex keeps lines whole.
type accessLog struct {
	mu   sync.Mutex
	out  io.Writer
	info bool
}

// recorder remembers what the handler answered, for the log line.
type recorder struct {
	http.ResponseWriter
	status  int
	written int64
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.written += int64(n)
	return n, err
}

func (l *accessLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, req)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		host, _, err := net.SplitHostPort(req.RemoteAddr)
		if err != nil {
			host = req.RemoteAddr
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.info {
			fmt.Fprintf(l.out, "time=%q level=info msg=\"response completed\" http.request.method=%s "+
				"http.request.remoteaddr=%q http.request.uri=%q http.request.useragent=%q "+
				"http.response.duration=%s http.response.status=%d http.response.written=%d\n",
				start.UTC().Format(time.RFC3339Nano), req.Method, req.RemoteAddr, req.URL.RequestURI(),
				req.UserAgent(), time.Since(start), rec.status, rec.written)
		}
		fmt.Fprintf(l.out, "%s - - [%s] \"%s %s %s\" %d %d %q %q\n", host,
			start.UTC().Format("02/Jan/2006:15:04:05 -0700"), req.Method, req.URL.RequestURI(), req.Proto,
			rec.status, rec.written, req.Referer(), req.UserAgent())
	})
}

// basicAuth demands user:password on every request, as docker-registry's htpasswd auth does.
func basicAuth(user, password string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		u, p, ok := req.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(user)) != 1 ||
			subtle.ConstantTimeCompare([]byte(p), []byte(password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="cmake-ko-test"`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`+"\n")
			return
		}
		next.ServeHTTP(w, req)
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:5000", "listen address (the tests use 127.0.0.1 only)")
	logFile := flag.String("log", "", "access log file (default stderr)")
	level := flag.String("log-level", "warn", "info adds a line per request with the client's address")
	cert := flag.String("tls-cert", "", "serve HTTPS with this certificate (PEM)")
	key := flag.String("tls-key", "", "and this key (PEM)")
	user := flag.String("user", "", "demand HTTP Basic auth as this user")
	passwordFile := flag.String("password-file", "", "file holding the user's password")
	flag.Parse()

	out := io.Writer(os.Stderr)
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			log.Fatalf("ggcr_registry: cannot open the log: %v", err)
		}
		defer f.Close()
		out = f
	}
	// The package's own request log would duplicate ours in another shape: errors only.
	handler := registry.New(registry.WithReferrersSupport(true), registry.Logger(log.New(io.Discard, "", 0)))
	if *user != "" {
		password, err := os.ReadFile(*passwordFile)
		if err != nil {
			log.Fatalf("ggcr_registry: -user needs a readable -password-file: %v", err)
		}
		handler = basicAuth(*user, strings.TrimRight(string(password), "\n"), handler)
	}
	handler = (&accessLog{out: out, info: *level == "info" || *level == "debug"}).wrap(handler)

	server := &http.Server{Addr: *addr, Handler: handler, ErrorLog: log.New(out, "ggcr_registry: ", 0)}
	var err error
	if *cert != "" {
		err = server.ListenAndServeTLS(*cert, *key)
	} else {
		err = server.ListenAndServe()
	}
	log.Fatalf("ggcr_registry: %v", err)
}
