// basecheck reports what a Go service finds in its image's base: the system's CA roots,
// whether a certificate chain verifies against them, and time zones. Used by
// tests/integration/static_base_contents.sh from inside an unpacked image rootfs.
//
//	basecheck [-leaf FILE -intermediate FILE -host NAME] ZONE...
package main

import (
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	leaf := flag.String("leaf", "", "PEM leaf certificate to verify")
	intermediate := flag.String("intermediate", "", "PEM intermediate certificate")
	host := flag.String("host", "", "DNS name the leaf must be valid for")
	flag.Parse()
	failed := false

	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Println("roots: error:", err)
		failed = true
	} else {
		//lint:ignore SA1019 on Linux the system pool lists its roots
		fmt.Println("roots:", len(pool.Subjects()))
	}

	if *leaf != "" {
		if err := verify(*leaf, *intermediate, *host); err != nil {
			fmt.Println("verify: error:", err)
			failed = true
		} else {
			fmt.Println("verify: ok")
		}
	}

	at := time.Date(2024, time.July, 1, 12, 0, 0, 0, time.UTC)
	for _, zone := range flag.Args() {
		location, err := time.LoadLocation(zone)
		if err != nil {
			fmt.Printf("zone %s: error: %v\n", zone, err)
			failed = true
			continue
		}
		fmt.Printf("zone %s: %s\n", zone, at.In(location).Format("MST -0700"))
	}
	if failed {
		os.Exit(1)
	}
}

// verify checks leaf (via intermediate) against the system roots, as an HTTPS client would.
func verify(leafFile, intermediateFile, host string) error {
	leaf, err := readCertificate(leafFile)
	if err != nil {
		return err
	}
	intermediates := x509.NewCertPool()
	if intermediateFile != "" {
		intermediate, err := readCertificate(intermediateFile)
		if err != nil {
			return err
		}
		intermediates.AddCert(intermediate)
	}
	_, err = leaf.Verify(x509.VerifyOptions{DNSName: host, Intermediates: intermediates})
	return err
}

func readCertificate(file string) (*x509.Certificate, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", file)
	}
	return x509.ParseCertificate(block.Bytes)
}
