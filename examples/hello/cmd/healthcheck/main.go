// healthcheck asks a running hello service for its greeting and exits 0 when it answers:
// a second binary in the same image (ko_image with several IMPORTPATHs), usable as a
// container health check (`/ko-app/healthcheck`, or just `healthcheck`: /ko-app is on PATH).
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/", "the service to check")
	flag.Parse()
	client := http.Client{Timeout: 2 * time.Second}
	response, err := client.Get(*url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "unhealthy:", err)
		os.Exit(1)
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "unhealthy: status", response.StatusCode)
		os.Exit(1)
	}
	fmt.Println("healthy")
}
