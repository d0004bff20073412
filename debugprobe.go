package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/heartbeat"
)

// debugAddrEnv, set to a loopback host:port, makes the process serve its
// goroutine count, heap figures, goroutine stacks and heap profile there:
// the soak test (e2e/soak_test.go) reads them to tell a leak from a busy
// moment, which a process's RSS or thread count cannot. It is off unless
// the variable is set, and it refuses any address but loopback. What it
// serves holds no values: counts, sizes, and stacks by function name.
const debugAddrEnv = "CEZANNE_DEBUG_ADDR"

// The probe starts before anything else so that it sees the whole run; an
// init keeps it out of the dispatch in main.go.
func init() {
	if addr := os.Getenv(debugAddrEnv); addr != "" {
		if err := startDebugProbe(addr); err != nil {
			fmt.Fprintln(os.Stderr, "debug probe not started:", err)
		}
	}
}

// debugRuntime is the probe's /debug/runtime answer.
type debugRuntime struct {
	Goroutines  int    `json:"goroutines"`
	HeapInuse   uint64 `json:"heap_inuse_bytes"`
	HeapObjects uint64 `json:"heap_objects"`
	Sys         uint64 `json:"sys_bytes"`
	// GoHeld is what the Go runtime has mapped and not handed back (its
	// resident share at most): the soak takes it from the anonymous
	// memory it reads in /proc/PID/smaps to tell Go's growth from C's
	// (Mesa's textures, the C allocator).
	GoHeld uint64 `json:"go_held_bytes"`
	// CInUse and CKept are glibc's allocator (cMemory): what the C code
	// holds, and what it freed that the allocator keeps. Absent where
	// they cannot be read.
	CInUse       *uint64 `json:"c_in_use_bytes,omitempty"`
	CKept        *uint64 `json:"c_kept_bytes,omitempty"`
	NumGC        uint32  `json:"num_gc"`
	UptimeMillis int64   `json:"uptime_ms"`
}

var processStart = time.Now()

// startDebugProbe listens on addr, a loopback address, and serves the probe
// in the background for the life of the process.
func startDebugProbe(addr string) error {
	if !isLoopback(addr) {
		return fmt.Errorf("%s=%q: the debug probe listens on a loopback address only, such as 127.0.0.1:6060", debugAddrEnv, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: debugProbeHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return nil
}

func debugProbeHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/runtime", writeRuntime)
	// A full collection that hands freed memory back to the system, then
	// the figures: a soak compares what the process keeps, not where the
	// collector's cycle happened to be (with GOGC=50 the heap swings by
	// half its live size between collections).
	mux.HandleFunc("POST /debug/free", func(w http.ResponseWriter, r *http.Request) {
		debug.FreeOSMemory()
		writeRuntime(w, r)
	})
	// glibc's free pages handed back too: the soak reads RSS before and
	// after, to tell memory the C code holds from memory it freed that
	// the allocator kept (fragmentation).
	mux.HandleFunc("POST /debug/trim", func(w http.ResponseWriter, r *http.Request) {
		trimCMemory()
		writeRuntime(w, r)
	})
	mux.HandleFunc("GET /debug/goroutines", func(w http.ResponseWriter, r *http.Request) {
		// debug=1: stacks grouped, by function and line. debug=2 would
		// print each goroutine's argument words, which a probe has no
		// business showing.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_ = pprof.Lookup("goroutine").WriteTo(w, 1)
	})
	// The heap profile (pprof's protobuf: allocation sites and sizes), for
	// `go tool pprof -base` between two moments of a soak.
	mux.HandleFunc("GET /debug/heap", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_ = pprof.Lookup("heap").WriteTo(w, 0)
	})
	return loopbackHostOnly(mux)
}

// loopbackHostOnly answers only requests addressed to a loopback name: a
// web page cannot reach the probe through DNS rebinding (its Host would be
// the page's own domain), nor read it from another origin.
func loopbackHostOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isLoopback(r.Host) || r.Header.Get("Origin") != "" {
			http.Error(w, "the debug probe answers requests to a loopback address only", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeRuntime(w http.ResponseWriter, _ *http.Request) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.Header().Set("Content-Type", "application/json")
	held, _ := heartbeat.GoMemory()
	rt := debugRuntime{Goroutines: runtime.NumGoroutine(), HeapInuse: m.HeapInuse,
		HeapObjects: m.HeapObjects, Sys: m.Sys, GoHeld: held, NumGC: m.NumGC, UptimeMillis: time.Since(processStart).Milliseconds()}
	if inUse, kept, ok := cMemory(); ok {
		rt.CInUse, rt.CKept = &inUse, &kept
	}
	_ = json.NewEncoder(w).Encode(rt)
}
