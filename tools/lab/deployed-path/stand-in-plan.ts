/**
 * What the load-balancer stand-in's process does for a Relay template (load-balancer-child.ts): which target groups
 * it health-checks on which port, and which TLS listeners it terminates, with the lowest TLS version their security
 * policy allows. Pure.
 */
import type { SecureVersion } from 'node:tls';
import type { LabAddresses } from './nft-rules';
import type { RelayPathModel } from './relay-template';

export interface StandInPlan {
  readonly targetGroups: Array<{ id: string; healthCheckPort: number; targets: string[] }>;
  readonly tls: Array<{
    id: string;
    frontIp: string;
    port: number;
    targetGroup: string;
    targetIp: string;
    targetPort: number;
    minVersion: SecureVersion;
  }>;
}

/**
 * The lowest protocol version of an ELB security policy, from its name (Elastic Load Balancing, "Security policies for
 * your Network Load Balancer"): `...-TLS13-1-3-...` is TLS 1.3 only, `...-TLS13-1-2-...` and `...-TLS-1-2-...` start
 * at TLS 1.2, `...-TLS-1-1-...` at 1.1; older policies (e.g. ELBSecurityPolicy-2016-08, the default) at TLS 1.0.
 */
export function tlsMinVersion(sslPolicy: string | undefined): SecureVersion {
  if (!sslPolicy) return 'TLSv1';
  if (/TLS13-1-3/.test(sslPolicy)) return 'TLSv1.3';
  if (/TLS13-1-2|TLS-1-2/.test(sslPolicy)) return 'TLSv1.2';
  if (/TLS13-1-1|TLS-1-1/.test(sslPolicy)) return 'TLSv1.1';
  return 'TLSv1';
}

/** Target groups the template's listeners use, each health-checked on every target (the one lab relay). */
export function standInPlan(model: RelayPathModel, a: LabAddresses): StandInPlan {
  const used = model.targetGroups.filter((tg) => model.listeners.some((l) => l.targetGroup === tg.id));
  for (const tg of used) {
    if (tg.healthCheck.protocol !== 'TCP') {
      throw new Error(
        `the lab stands in for TCP health checks only; target group ${tg.id} uses ${tg.healthCheck.protocol}`,
      );
    }
    if (tg.targetSecurityGroups.length === 0) {
      throw new Error(`target group ${tg.id} has no Auto Scaling group attached in the template: it has no targets`);
    }
  }
  return {
    targetGroups: used.map((tg) => ({ id: tg.id, healthCheckPort: tg.healthCheck.port, targets: [a.relayIp] })),
    tls: model.listeners
      .filter((l) => l.protocol === 'TLS')
      .map((l) => {
        const tg = used.find((t) => t.id === l.targetGroup)!;
        return {
          id: l.id,
          frontIp: a.frontIp,
          port: l.port,
          targetGroup: tg.id,
          targetIp: a.relayIp,
          targetPort: tg.port,
          minVersion: tlsMinVersion(l.sslPolicy),
        };
      }),
  };
}
