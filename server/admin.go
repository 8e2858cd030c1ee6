package server

import (
	"net/http"
	"strings"
)

// serveAdmin serves the admin API; path is relative to /api/v1.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, path string) string {
	if !checkBearer(r.Header.Get("Authorization"), s.cfg.AdminToken) {
		writeError(w, errorf(http.StatusUnauthorized, CodeUnauthorized, "missing or wrong admin token (Authorization: Bearer <token>)"))
		return "admin_unauthorized"
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if parts[0] != "passes" {
		writeError(w, errorf(http.StatusNotFound, CodeNotFound, "no such endpoint"))
		return "admin_other"
	}
	switch len(parts) {
	case 1:
		if !allow(w, r, http.MethodPost) {
			return "admin_issue"
		}
		s.adminIssue(w, r)
		return "admin_issue"
	case 2:
		serial := parts[1]
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			s.adminGet(w, r, serial)
			return "admin_get"
		case http.MethodPatch:
			s.adminUpdate(w, r, serial)
			return "admin_update"
		}
		allow(w, r, http.MethodGet, http.MethodPatch)
		return "admin_get"
	case 3:
		serial := parts[1]
		switch parts[2] {
		case "void":
			if allow(w, r, http.MethodPost) {
				s.adminVoid(w, r, serial)
			}
			return "admin_void"
		case "pkpass":
			if allow(w, r, http.MethodGet, http.MethodHead) {
				s.adminPkpass(w, r, serial)
			}
			return "admin_pkpass"
		}
	}
	writeError(w, errorf(http.StatusNotFound, CodeNotFound, "no such endpoint"))
	return "admin_other"
}

// allow reports whether r's method is one of methods, answering 405 with
// Allow otherwise.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, errorf(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "method %s not allowed; use %s", r.Method, strings.Join(methods, " or ")))
	return false
}

type issueRequest struct {
	SerialNumber string `json:"serialNumber"`
	Values       Values `json:"values"`
}

type updateRequest struct {
	Values *Values `json:"values"`
}

func (s *Server) adminIssue(w http.ResponseWriter, r *http.Request) {
	var req issueRequest
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e)
		return
	}
	info, err := s.Issue(r.Context(), req.SerialNumber, req.Values)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, info)
}

func (s *Server) adminGet(w http.ResponseWriter, r *http.Request, serial string) {
	info, err := s.Pass(r.Context(), serial)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) adminUpdate(w http.ResponseWriter, r *http.Request, serial string) {
	var req updateRequest
	if e := decodeBody(w, r, &req); e != nil {
		writeError(w, e)
		return
	}
	if req.Values == nil {
		writeError(w, errorf(http.StatusBadRequest, CodeBadRequest, `request body: "values" is required`))
		return
	}
	info, err := s.Update(r.Context(), serial, *req.Values)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) adminVoid(w http.ResponseWriter, r *http.Request, serial string) {
	info, err := s.Void(r.Context(), serial)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) adminPkpass(w http.ResponseWriter, r *http.Request, serial string) {
	data, modified, err := s.PassData(r.Context(), serial)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	servePkpass(w, r, serial, data, modified)
}
