#!/usr/bin/env node
// Entry of `npx hipaa-rtc`: runs the TypeScript CLI through tsx, the same loader `cdk synth` uses.
require('tsx/cjs/api').register();
require('../src/cli/run.ts');
