package pushtest_test

import (
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/passforge/passforge/push/pushtest"
)

func ExampleServer_Script() {
	srv, err := pushtest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	token := strings.Repeat("ab", 32)
	// The first push to token is throttled, the second finds it unregistered.
	srv.Script(token, pushtest.TooManyRequests(), pushtest.Unregistered(time.Now()))

	// Any HTTP/2 client with a client certificate will do; yours would be
	// configured with srv.URL and srv.CertPool().
	for range 3 {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/3/device/"+token, strings.NewReader("{}"))
		if err != nil {
			log.Fatal(err)
		}
		req.Header.Set("apns-topic", "pass.com.example.ticket")
		resp, err := srv.Client().Do(req)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	for _, r := range srv.Requests() {
		fmt.Println(r.Header.Get("apns-topic"), r.Status, r.Reason, r.ClientSubject)
	}
	// Output:
	// 429 Too Many Requests
	// 410 Gone
	// 200 OK
	// pass.com.example.ticket 429 TooManyRequests CN=pushtest client
	// pass.com.example.ticket 410 Unregistered CN=pushtest client
	// pass.com.example.ticket 200  CN=pushtest client
}
