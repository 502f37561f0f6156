// Package greeting builds the service's greeting. It lives outside package main so the
// tests can show that editing a non-main package changes the image.
package greeting

import "fmt"

// For returns the greeting for a salutation (default "Hello") and a version.
func For(salutation, version string) string {
	if salutation == "" {
		salutation = "Hello"
	}
	return fmt.Sprintf("%s from cmake-ko (version %s)", salutation, version)
}
