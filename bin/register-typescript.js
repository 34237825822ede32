// Lets Node.js require the project's TypeScript (`node -r ./bin/register-typescript.js bin/hipaa-rtc.ts`, the app
// command in cdk.json). Each module is transpiled by @swc/core, the transpiler jest already runs these sources
// through, and the result is cached by content under .cdk.staging/ts-cache (git-ignored, inside the project rather
// than a shared temporary directory another user could write to). A synth then reads ~120 cached files: about
// 0.4 s less than loading the same modules through tsx's loader hooks (docs/benchmarks.md, "Full-app cdk synth").
// Source maps are inline and enabled, so stack traces and construct traces name TypeScript lines as before.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
  configFile: false,
};
const CACHE_DIR = path.join(__dirname, '..', '.cdk.staging', 'ts-cache');
// Any change to the transpiler or its options starts a new cache.
const SALT = `${swc.version}\0${JSON.stringify(OPTIONS)}`;

function transpile(source, filename) {
  const key = crypto.createHash('sha256').update(`${SALT}\0${filename}\0${source}`).digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const { code } = swc.transformSync(source, { ...OPTIONS, filename });
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written under a unique name and renamed, so a concurrent synth never reads half a file.
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, cached);
    return code;
  }
}

process.setSourceMapsEnabled(true);
require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
