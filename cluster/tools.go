//go:build tools

// Package tools names the commands this module builds (scripts/cluster-tools.js), so that `go mod tidy` keeps
// their dependencies in go.sum. Nothing here is compiled into the project.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
