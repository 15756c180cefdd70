//go:build tools

// Package tools names the KubeBlocks commands this module builds (scripts/cluster-tools/kubeblocks.js): the
// operator's manager and the data-protection controller, which v1.0.2 builds as a command of its own
// (cmd/manager, cmd/dataprotection at github.com/apecloud/kubeblocks v1.0.2), so that `go mod tidy` keeps their
// dependencies in go.sum. Nothing here is compiled into the project.
package tools

import (
	_ "github.com/apecloud/kubeblocks/cmd/dataprotection"
	_ "github.com/apecloud/kubeblocks/cmd/manager"
)
