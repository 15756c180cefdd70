// Tests that need a program this machine lacks (PostgreSQL, squid, helm) are skipped outside CI (and fail in CI,
// see __tests__/helpers/required-tool.ts). Jest prints nothing of a wholly skipped suite, so each skip is written
// to a file by the worker that decided it, and this reporter prints them after the summary, where a person looks.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

class SkippedReporter {
  constructor() {
    // Set before the workers start, so they inherit it.
    this.file = path.join(os.tmpdir(), `dify-skipped-${process.pid}.txt`);
    process.env.DIFY_SKIPPED_FILE = this.file;
    fs.rmSync(this.file, { force: true });
  }

  onRunComplete() {
    if (!fs.existsSync(this.file)) return;
    const lines = [...new Set(fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean))].sort();
    fs.rmSync(this.file, { force: true });
    process.stderr.write(`\nNot run on this machine (${lines.length}):\n${lines.map((line) => `  skipped: ${line}\n`).join('')}`);
  }
}

module.exports = SkippedReporter;
