// api is a small HTTP service written the way Go services usually are: a chi router,
// request IDs from google/uuid, flags from spf13/pflag, and times in the caller's zone.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"
	flag "github.com/spf13/pflag"
)

var version = "dev"

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	flag.Parse()

	router := chi.NewRouter()
	router.Use(middleware.Recoverer)
	router.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	router.Get("/time/{zone}", func(w http.ResponseWriter, r *http.Request) {
		// Zone names contain a slash: /time/Europe%2FBerlin.
		location, err := time.LoadLocation(chi.URLParam(r, "zone"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		reply(w, map[string]string{"time": time.Now().In(location).Format(time.RFC3339)})
	})
	router.Get("/", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]string{"request": uuid.NewString(), "version": version})
	})
	log.Printf("api %s listening on %s", version, *addr)
	log.Fatal(http.ListenAndServe(*addr, router))
}

func reply(w http.ResponseWriter, body map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}
