// migrate stands for a service's second binary (a job run before a rollout): it shares the
// module, and of its dependencies only spf13/pflag.
package main

import (
	"fmt"

	flag "github.com/spf13/pflag"
)

func main() {
	dryRun := flag.Bool("dry-run", false, "only print what would change")
	flag.Parse()
	fmt.Printf("migrate: nothing to do (dry run: %v)\n", *dryRun)
}
