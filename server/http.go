package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/passforge/passforge/webservice"
)

// pkpassType is the content type of a .pkpass.
const pkpassType = "application/vnd.apple.pkpass"

// serveHTTP routes a request and counts it by endpoint and status.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	endpoint := s.route(rec, r)
	took := time.Since(start)
	s.metrics.requests.WithLabelValues(endpoint, statusLabel(rec.status)).Inc()
	s.metrics.duration.WithLabelValues(endpoint).Observe(took.Seconds())
	// The path and query are left out: a download link's query is its
	// credential.
	s.log.DebugContext(r.Context(), "request", "method", r.Method, "endpoint", endpoint, "status", rec.status, "duration", took)
}

// route serves r and returns the name of its endpoint for the metrics.
func (s *Server) route(w http.ResponseWriter, r *http.Request) string {
	path := r.URL.Path
	switch {
	case path == "/healthz":
		s.serveHealth(w, r)
		return "healthz"
	case path == "/metrics":
		s.metrics.handler.ServeHTTP(w, r)
		return "metrics"
	case path == "/api/v1" || strings.HasPrefix(path, "/api/v1/"):
		return s.serveAdmin(w, r, strings.TrimPrefix(path, "/api/v1"))
	}
	rest, ok := strings.CutPrefix(path, s.prefix+"/")
	if !ok {
		writeError(w, errorf(http.StatusNotFound, CodeNotFound, "no such endpoint"))
		return "other"
	}
	if serial, ok := strings.CutPrefix(rest, "download/"); ok && !strings.Contains(serial, "/") {
		s.serveDownload(w, r, serial)
		return "download"
	}
	if trimmed := strings.TrimLeft(rest, "/"); strings.HasPrefix(trimmed, "v1/") {
		s.ws.ServeHTTP(w, r)
		return webServiceEndpoint(r.Method, trimmed)
	}
	writeError(w, errorf(http.StatusNotFound, CodeNotFound, "no such endpoint"))
	return "other"
}

// webServiceEndpoint names the web service endpoint of path (relative to
// the web service, starting with "v1/") for the metrics.
func webServiceEndpoint(method, path string) string {
	parts := strings.Split(strings.TrimSuffix(path, "/"), "/")
	switch {
	case len(parts) == 2 && parts[1] == "log":
		return "webservice_log"
	case len(parts) == 6 && parts[1] == "devices" && parts[3] == "registrations":
		if method == http.MethodDelete {
			return "webservice_unregister"
		}
		return "webservice_register"
	case len(parts) == 5 && parts[1] == "devices" && parts[3] == "registrations":
		return "webservice_list"
	case len(parts) == 4 && parts[1] == "passes":
		return "webservice_pass"
	case len(parts) == 5 && parts[1] == "passes" && parts[4] == "personalize":
		return "webservice_personalize"
	}
	return "webservice_other"
}

// statusLabel is the status label of the request metric.
func statusLabel(code int) string { return strconv.Itoa(code) }

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// serveHealth answers 200 when the store answers within 5 seconds, 503
// otherwise.
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, errorf(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use GET"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "health check: the store does not answer", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "store": "not answering"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// serveDownload serves the current .pkpass of a signed download link.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, errorf(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use GET"))
		return
	}
	serial := strings.TrimSuffix(name, ".pkpass")
	q := r.URL.Query()
	valid, expired := s.keys.checkDownload(s.ptid, serial, q.Get("expires"), q.Get("signature"), s.now())
	switch {
	case !valid:
		writeError(w, errorf(http.StatusForbidden, "invalid_link", "the download link is not valid"))
		return
	case expired:
		writeError(w, errorf(http.StatusGone, "expired_link", "the download link has expired; ask for a new one"))
		return
	}
	data, modified, err := s.PassData(r.Context(), serial)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	servePkpass(w, r, serial, data, modified)
}

// servePkpass answers with the signed pass.
func servePkpass(w http.ResponseWriter, r *http.Request, serial string, data []byte, modified time.Time) {
	if len(data) == 0 {
		writeError(w, errorf(http.StatusNotFound, CodeNotFound, "the pass has no signed version"))
		return
	}
	w.Header().Set("Content-Type", pkpassType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+serial+`.pkpass"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// storeError answers a failed store call: 404 for an unknown pass, 500
// (logged) otherwise.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	var ve *ValuesError
	switch {
	case errors.As(err, &ve):
		writeError(w, &apiError{Status: http.StatusUnprocessableEntity, Code: CodeInvalidValues, Message: "the values do not make a valid pass", Problems: ve.Problems})
	case errors.Is(err, webservice.ErrNotFound):
		writeError(w, errorf(http.StatusNotFound, CodeNotFound, "no such pass"))
	case errors.Is(err, webservice.ErrExists):
		writeError(w, errorf(http.StatusConflict, CodeConflict, "a pass with this serial number exists"))
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away; nobody reads the answer.
	default:
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		writeError(w, errorf(http.StatusInternalServerError, CodeInternal, "internal error; see the service's log"))
	}
}
