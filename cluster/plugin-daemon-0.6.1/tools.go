//go:build tools

// Package tools names the commands this module builds (scripts/cluster-tools/plugin-daemon.js), so that
// `go mod tidy` keeps their dependencies in go.sum: the server and commandline, whose "migrate" the image runs before the server from 0.6.0 on (docker/local.dockerfile).
// Nothing here is compiled into the project.
package tools

import (
	_ "github.com/langgenius/dify-plugin-daemon/cmd/commandline"
	_ "github.com/langgenius/dify-plugin-daemon/cmd/server"
)
