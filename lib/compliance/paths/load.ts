import * as fs from 'node:fs';
import type { StackDoc, TemplateSet } from './template-set';

export interface TemplateFile {
  readonly stackId: string;
  readonly stackName: string;
  readonly region?: string;
  readonly account?: string;
  readonly templatePath: string;
}

/** A concrete region or account, or undefined for a token (`${Token[...]}`) or `unknown-...` placeholder. */
function concrete(value: string | undefined): string | undefined {
  return value && !value.includes('${Token') && !value.startsWith('unknown-') ? value : undefined;
}

/** Reads the synthesized templates of an assembly into one template set. */
export function loadTemplateSet(files: readonly TemplateFile[]): TemplateSet {
  const stacks: StackDoc[] = files.map((file) => {
    const template = JSON.parse(fs.readFileSync(file.templatePath, 'utf8'));
    return {
      stackId: file.stackId,
      stackName: file.stackName,
      region: concrete(file.region),
      account: concrete(file.account),
      templatePath: file.templatePath,
      resources: template.Resources ?? {},
      outputs: template.Outputs ?? {},
    };
  });
  return { stacks };
}
