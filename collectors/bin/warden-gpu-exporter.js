#!/usr/bin/env node
'use strict';
// Runs the compiled exporter; `npm run build -w collectors` produces collectors/dist.
let exporter;
try {
  exporter = require('../dist/gpu-exporter/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/gpu-exporter/main')) {
    process.stderr.write('warden-gpu-exporter: not built yet; run `npm run build -w collectors` first\n');
    process.exit(1);
  }
  throw error;
}
exporter.main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error) => {
    process.stderr.write(`warden-gpu-exporter: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
