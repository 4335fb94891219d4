#!/usr/bin/env node
// The kafka-desk command. The TypeScript sources are bundled into out/ by `npm install` (prepare).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'cli', 'index.cjs');
if (!fs.existsSync(entry)) {
  console.error('kafka-desk: the command is not built yet. Run `npm run build:node` in ' + path.dirname(__dirname));
  process.exit(1);
}
require(entry);
