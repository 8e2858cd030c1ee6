package server

import (
	"fmt"
	"net/http"

	"github.com/passforge/passforge/webservice"
)

// newWebService returns the Wallet web service handler on the Server's
// store. It routes on the path after ".../v1/", so it serves
// webServiceURL + "v1/..." with or without a doubled slash.
func (s *Server) newWebService() (http.Handler, error) {
	h, err := webservice.NewHandler(s.store, &webservice.Options{Logger: s.log})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return h, nil
}
