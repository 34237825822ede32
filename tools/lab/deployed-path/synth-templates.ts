/**
 * The templates the lab builds its network from: the example config's app, synthesized in-process with exactly
 * cdk.json's context (as `cdk synth` and test/helpers/test-app.ts do), once per process. Lambda bundling is off (it
 * changes only asset hashes and paths, nothing on the relay path), and the compliance packs are not registered:
 * the lab judges the network, the packs have their own tests.
 */
import { App } from 'aws-cdk-lib';
import cdkJson from '../../../cdk.json';
import { validateConfig } from '../../../config';
import { example } from '../../../config/example';
import { composeHipaaRtc } from '../../../lib/hipaa-rtc-app';
import type { CfnTemplate } from './relay-template';

export interface DeployedTemplates {
  readonly relay: CfnTemplate;
  readonly signaling: CfnTemplate;
}

let cached: DeployedTemplates | undefined;

export function synthesizeDeployedTemplates(): DeployedTemplates {
  if (cached) return cached;
  const app = new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const built = composeHipaaRtc(app, validateConfig('example', example), { today: new Date(), registerPacks: false });
  const assembly = app.synth();
  const template = (artifactId: string) =>
    structuredClone(assembly.getStackArtifact(artifactId).template) as CfnTemplate;
  cached = { relay: template(built.relay.artifactId), signaling: template(built.signaling.artifactId) };
  return cached;
}
