// web is the monorepo's pure-Go front end. Run with -once to print its banner and exit.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
)

const banner = "web: pure Go, no cgo"

func main() {
	once := flag.Bool("once", false, "print the banner and exit")
	flag.Parse()
	if *once {
		fmt.Println(banner)
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, banner) })
	log.Fatal(http.ListenAndServe(":8080", nil))
}
