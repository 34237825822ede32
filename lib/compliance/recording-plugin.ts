import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';

/**
 * Wraps a validation plugin (a cdk-nag pack) and keeps its last report, so the compliance report can summarise the
 * findings of the very run that gated synth instead of re-running the packs.
 */
export class RecordingPlugin implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];
  private report?: PolicyValidationPluginReport;

  constructor(public readonly inner: IPolicyValidationPlugin) {
    this.name = inner.name;
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.report = this.inner.validate(context);
    return this.report;
  }

  /** The report of the last run, or undefined when synth has not validated yet. */
  public get lastReport(): PolicyValidationPluginReport | undefined {
    return this.report;
  }
}
