#!/usr/bin/env node
'use strict';
// Runs the compiled node agent; `npm run build -w collectors` produces collectors/dist.
let agent;
try {
  agent = require('../dist/node-agent/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/node-agent/main')) {
    process.stderr.write('warden-node-agent: not built yet; run `npm run build -w collectors` first\n');
    process.exit(1);
  }
  throw error;
}
agent.main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error) => {
    process.stderr.write(`warden-node-agent: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
