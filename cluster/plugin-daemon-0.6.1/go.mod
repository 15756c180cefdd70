// Build module for the plugin daemon of the cluster test tier (docs/cluster-tests.md, scripts/cluster-tools/plugin-daemon.js):
// langgenius/dify-plugin-daemon at its tag 0.6.1 (commit 6b1510814fec6d488498e412a69f78ead8f7e496). The tag has no v, so it is no semantic
// version and the module is required by its pseudo-version. go.sum is written by the build (outside the repository)
// and checked against the Go checksum database, until the module proxy serves this module and go.sum can be committed.
module dify-kubeblocks/cluster/plugin-daemon-0.6.1

go 1.26.2

require github.com/langgenius/dify-plugin-daemon v0.0.0-20260518011213-6b1510814fec
