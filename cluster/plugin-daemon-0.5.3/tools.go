//go:build tools

// Package tools names the commands this module builds (scripts/cluster-tools/plugin-daemon.js), so that
// `go mod tidy` keeps their dependencies in go.sum: the server; at 0.5.3 the server migrates the database itself (internal/db/init.go).
// Nothing here is compiled into the project.
package tools

import (
	_ "github.com/langgenius/dify-plugin-daemon/cmd/server"
)
