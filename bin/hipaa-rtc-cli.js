#!/usr/bin/env node
// Entry of `npx hipaa-rtc`: runs the TypeScript CLI through tsx.
require('tsx/cjs/api').register();
require('../tools/cli/run.ts');
