//go:build !unix

package sqlitestore

import "time"

// processCPU is not measured on this platform.
func processCPU() time.Duration { return 0 }
