// api serves document scores computed by the monorepo's C++ scoring library (via cgo).
// Run with -once N to print the score of an N-word document and exit.
package main

/*
#include "scoring.h"
*/
import "C"

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"strconv"
)

var version = "dev"

func score(words int) int { return int(C.score_document(C.int(words))) }

func main() {
	once := flag.Int("once", -1, "print the score of a document of this many words and exit")
	flag.Parse()
	if *once >= 0 {
		fmt.Printf("api %s: score_document(%d) = %d\n", version, *once, score(*once))
		return
	}
	http.HandleFunc("/score", func(w http.ResponseWriter, r *http.Request) {
		words, _ := strconv.Atoi(r.URL.Query().Get("words"))
		fmt.Fprintln(w, score(words))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
