// hello is a small web service: it greets on / and serves the files it was shipped with
// (its kodata directory, found through KO_DATA_PATH) under /static/.
//
// Run with -once to print the greeting and exit; the tests do that from an unpacked image.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/hello/internal/greeting"
)

var version = "dev"

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	once := flag.Bool("once", false, "print the greeting and the kodata message, then exit")
	flag.Parse()

	dataDir := os.Getenv("KO_DATA_PATH")
	if *once {
		fmt.Println(greeting.For(os.Getenv("GREETING"), version))
		if message, err := os.ReadFile(dataDir + "/message.txt"); err == nil {
			fmt.Print(string(message))
		}
		return
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greeting.For(os.Getenv("GREETING"), version))
	})
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir(dataDir))))
	log.Printf("hello %s listening on %s", version, *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
