// Build module for the plugin daemon of the cluster test tier (docs/cluster-tests.md, scripts/cluster-tools/plugin-daemon.js):
// langgenius/dify-plugin-daemon at its tag 0.5.3 (commit 23a4662e65a2bdeb7e7731a9081e6ba545f9838a). The tag has no v, so it is no semantic
// version and the module is required by its pseudo-version. go.sum is written by the build (outside the repository)
// and checked against the Go checksum database, until the module proxy serves this module and go.sum can be committed.
module dify-kubeblocks/cluster/plugin-daemon-0.5.3

go 1.24.0

require github.com/langgenius/dify-plugin-daemon v0.0.0-20260120084639-23a4662e65a2
