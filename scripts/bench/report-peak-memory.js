// Preloaded with `node --require` by the benchmark: prints the process's peak resident memory when it exits.
'use strict';

process.on('exit', () => {
  process.stderr.write(`peak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
