import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The cfn-guard binary that @cdklabs/cdk-validator-cfnguard installs offline (cfn-guard 3.1.1). */
export const CFN_GUARD = path.resolve(
  __dirname,
  '../../node_modules/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/x86_64/cfn-guard',
);

export interface HookResource {
  readonly ResourceType: string;
  readonly ResourceProperties?: Record<string, unknown>;
}

/** The account every hook input runs in, unless a test says otherwise. */
export const HOOK_ACCOUNT = '111111111111';

/** The StackId of an ordinary (workload) stack in HOOK_ACCOUNT. */
export function stackIdOf(stackName: string, account = HOOK_ACCOUNT): string {
  return `arn:aws:cloudformation:us-east-1:${account}:stack/${stackName}/5c2a2f10-d1b8-11f0-9a7e-0affd1c1e2a1`;
}

/**
 * A Guard Hook input document for one resource operation, shaped as the Guard Hooks user guide documents it
 * ("Guard resource input syntax"). `context` overrides HookContext fields; a field set to undefined is left out
 * (a Cloud Control operation has no StackId).
 */
export function hookInput(
  resource: HookResource,
  invocationPoint = 'CREATE_PRE_PROVISION',
  context: Record<string, string | undefined> = {},
): unknown {
  const hookContext: Record<string, string | undefined> = {
    AWSAccountID: HOOK_ACCOUNT,
    StackId: stackIdOf('workload'),
    HookTypeName: 'Private::Guard::HipaaRtcEligibility',
    InvocationPoint: invocationPoint,
    TargetName: resource.ResourceType,
    TargetType: 'RESOURCE',
    TargetLogicalId: 'Target',
    ...context,
  };
  return {
    HookContext: Object.fromEntries(Object.entries(hookContext).filter(([, value]) => value !== undefined)),
    Resources: { Target: { ResourceProperties: {}, ...resource } },
  };
}

/**
 * Runs the rules over each document for real and returns PASS/FAIL per document key. One cfn-guard process for all
 * documents; a crash or an unexpected document count fails loudly rather than passing.
 */
/** SKIP: every rule's `when` guard was false, so nothing was checked; a Guard Hook does not refuse the operation. */
export type GuardStatus = 'PASS' | 'FAIL' | 'SKIP';

export function runGuard(rules: string, documents: ReadonlyMap<string, unknown>): Map<string, GuardStatus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-guard-'));
  try {
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir);
    const rulesFile = path.join(dir, 'rules.guard');
    fs.writeFileSync(rulesFile, rules);
    const keys = [...documents.keys()];
    keys.forEach((key, index) =>
      fs.writeFileSync(
        path.join(dataDir, `${String(index).padStart(6, '0')}.json`),
        JSON.stringify(documents.get(key)),
      ),
    );
    const result = spawnSync(
      CFN_GUARD,
      ['validate', '-r', rulesFile, '-d', dataDir, '-z', '-S', 'none', '-o', 'json'],
      {
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        timeout: 120_000,
      },
    );
    // cfn-guard exits 0 when everything passes and 19 when something fails; anything else is an error. A rule file
    // it cannot parse still exits 0, reporting every document SKIP and the parse error on stderr: that must not pass.
    if ((result.status !== 0 && result.status !== 19) || result.stderr.trim() !== '') {
      throw new Error(`cfn-guard exited ${result.status}: ${result.stderr || result.error?.message}`);
    }
    const reports = JSON.parse(result.stdout) as Array<{ name: string; status: string }>;
    if (reports.length !== keys.length) throw new Error(`cfn-guard reported ${reports.length} of ${keys.length}`);
    const statuses = new Map<string, GuardStatus>();
    for (const report of reports) {
      const index = Number(path.basename(report.name, '.json'));
      if (report.status !== 'PASS' && report.status !== 'FAIL' && report.status !== 'SKIP') {
        throw new Error(`unexpected cfn-guard status ${report.status} for ${keys[index]}`);
      }
      statuses.set(keys[index], report.status);
    }
    return statuses;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
