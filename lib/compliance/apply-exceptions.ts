import { Annotations, CfnResource, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkRegister, daysUntilExpiry, type ComplianceException } from './exception';
import { EXCEPTION_METADATA_KEY } from './exception-metadata';

export { EXCEPTION_METADATA_KEY };

/** Exceptions expiring within this many days produce a synth warning so renewal is planned, not rushed. */
export const EXPIRY_WARNING_DAYS = 30;

/** Raised when the register cannot be applied; synth stops and the message lists every problem. */
export class ExceptionRegisterError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(
      `The compliance exception register has ${problems.length} problem${problems.length === 1 ? '' : 's'} ` +
        `(lib/compliance/exception-register.ts):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ExceptionRegisterError';
  }
}

export interface AppliedException extends ComplianceException {
  /** CloudFormation logical ID of the excepted resource, for readers of the template. */
  readonly logicalId: string;
  readonly stackName: string;
  readonly daysUntilExpiry: number;
}

function findByPath(root: IConstruct, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = root;
  for (const id of path.split('/')) {
    current = current?.node.tryFindChild(id);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * Acknowledges each exception on exactly the resource it names and records it in that resource's template
 * metadata. Fails closed: a malformed or expired entry, or a path that names no CloudFormation resource, stops
 * synth with every problem listed.
 */
export function applyExceptions(
  app: IConstruct,
  register: readonly ComplianceException[],
  today: Date,
): AppliedException[] {
  const problems = checkRegister(register, today);
  const resolved: Array<{ exception: ComplianceException; resource: CfnResource }> = [];
  for (const exception of register) {
    const target = findByPath(app, exception.path);
    if (target === undefined) {
      problems.push(
        `${exception.ruleId} on ${exception.path}: no construct has this path; the resource was renamed or removed, so update or delete the exception`,
      );
    } else if (!CfnResource.isCfnResource(target)) {
      problems.push(
        `${exception.ruleId} on ${exception.path}: names ${target.constructor.name}, not a CloudFormation resource; point it at the narrowest resource (usually ".../Resource")`,
      );
    } else {
      resolved.push({ exception, resource: target });
    }
  }
  if (problems.length > 0) throw new ExceptionRegisterError(problems);

  const byResource = new Map<CfnResource, ComplianceException[]>();
  return resolved.map(({ exception, resource }) => {
    Validations.of(resource).acknowledge({
      id: exception.ruleId,
      reason: `${exception.reason} (owner: ${exception.owner}; expires ${exception.expires})`,
    });
    const onResource = byResource.get(resource) ?? [];
    onResource.push(exception);
    byResource.set(resource, onResource);
    // Rewritten on every call so the metadata holds the full list for this resource.
    resource.cfnOptions.metadata = {
      ...resource.cfnOptions.metadata,
      [EXCEPTION_METADATA_KEY]: onResource.map(
        ({ ruleId, reason, compensatingControl, safeguard, owner, expires }) => ({
          ruleId,
          reason,
          compensatingControl,
          safeguard,
          owner,
          expires,
        }),
      ),
    };
    const days = daysUntilExpiry(exception, today);
    if (days <= EXPIRY_WARNING_DAYS) {
      Annotations.of(resource).addWarningV2(
        'hipaa-rtc:exception-expires-soon',
        `Compliance exception ${exception.ruleId} expires in ${days} day(s) (${exception.expires}); ${exception.owner} should review it`,
      );
    }
    return {
      ...exception,
      logicalId: resource.stack.resolve(resource.logicalId) as string,
      stackName: resource.stack.stackName,
      daysUntilExpiry: days,
    };
  });
}
