#!/usr/bin/env node
// The CDK app entry (cdk.json "app"). Everything it does lives in lib/synth-main.ts so that test fixtures can run the
// same entry with one change.
import { synthMain } from '../lib/synth-main';

synthMain();
