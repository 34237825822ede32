/**
 * The templates the lab builds its network from: a shipped config's app (the example by default), synthesized in-process with exactly
 * cdk.json's context (as `cdk synth` and test/helpers/test-app.ts do), once per process. Lambda bundling is off (it
 * changes only asset hashes and paths, nothing on the relay path), and the compliance packs are not registered:
 * the lab judges the network, the packs have their own tests.
 */
import { App } from 'aws-cdk-lib';
import cdkJson from '../../../cdk.json';
import { loadConfig } from '../../../config';
import { composeHipaaRtc } from '../../../lib/hipaa-rtc-app';
import type { CfnTemplate } from './relay-template';

export interface DeployedTemplates {
  /** The home Region's Relay template. */
  readonly relay: CfnTemplate;
  readonly signaling: CfnTemplate;
  /** Every relay Region's Relay template, the home Region first (config relay.regions). */
  readonly relayRegions: readonly { readonly region: string; readonly template: CfnTemplate }[];
}

const cache = new Map<string, DeployedTemplates>();

/** @param configName a config of config/index.ts (`example`, or `example-two-regions` for two relay Regions) */
export function synthesizeDeployedTemplates(configName = 'example'): DeployedTemplates {
  const cached = cache.get(configName);
  if (cached) return cached;
  const app = new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const built = composeHipaaRtc(app, loadConfig(configName), { today: new Date(), registerPacks: false });
  const assembly = app.synth();
  const template = (artifactId: string) =>
    structuredClone(assembly.getStackArtifact(artifactId).template) as CfnTemplate;
  const templates: DeployedTemplates = {
    relay: template(built.relay.artifactId),
    signaling: template(built.signaling.artifactId),
    relayRegions: built.relayRegions.map((r) => ({ region: r.region, template: template(r.relay.artifactId) })),
  };
  cache.set(configName, templates);
  return templates;
}
