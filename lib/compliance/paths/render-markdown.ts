/**
 * The "Paths" section of compliance-report.md: every path hop by hop with its verdict, and a Mermaid diagram of the
 * relay path (client, DNS name, listener, security groups, target group, relays) drawn from the same evaluation.
 */
import { PATH_RULE_CONTROLS, PATH_RULES, pathFails, type HopVerdict, type PathResult } from './model';

const VERDICT_TEXT: Record<HopVerdict, string> = {
  pass: 'pass',
  fail: '**FAIL**',
  assumed: 'assumed (not provable locally)',
  'not-applicable': 'not applicable',
  'not-reached': 'not reached',
};

const RULE_TITLES: Record<string, string> = {
  [PATH_RULES.ice]: 'ICE reachability',
  [PATH_RULES.notifications]: 'Notifications',
  [PATH_RULES.logDelivery]: 'Log and evidence delivery',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function pathVerdict(path: PathResult): string {
  if (pathFails(path)) return '**BROKEN**';
  if (path.hops.every((h) => h.verdict === 'not-applicable')) return 'not applicable';
  if (path.hops.some((h) => h.verdict === 'assumed')) return 'connects in the templates (one hop assumed)';
  return 'connects in the templates';
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/** Mermaid flowchart of the ICE paths: one chain per TURN URL, shared nodes merged, failing hops marked. */
export function relayPathMermaid(paths: readonly PathResult[]): string[] {
  const ice = paths.filter((p) => p.rule === PATH_RULES.ice);
  const nodes = new Map<string, string>();
  const failed = new Set<string>();
  const edges = new Set<string>();
  const idOf = (text: string) => {
    if (!nodes.has(text)) nodes.set(text, `n${nodes.size + 1}`);
    return nodes.get(text)!;
  };
  for (const path of ice) {
    let previous = 'client';
    let pending: string[] = [];
    for (const hop of path.hops) {
      if (hop.verdict === 'not-reached') break;
      pending.push(`${hop.name}: ${hop.verdict}`);
      if (!hop.node) continue;
      const id = idOf(hop.node);
      // A node is marked when any hop on the edge into it fails (e.g. an outbound rule on the way to the relays).
      if (pending.some((p) => p.endsWith(': fail'))) failed.add(id);
      // The client's edge carries the URL; later edges carry the verdicts of the hops they stand for.
      const label = previous === 'client' ? `${path.title} (${pending.join('; ')})` : pending.join('; ');
      edges.add(`  ${previous} -->|"${mermaidText(label)}"| ${id}`);
      previous = id;
      pending = [];
    }
    // Hop results after the last place reached (e.g. a failing outbound rule) label a final edge to the verdict.
    if (pending.length > 0) {
      const end = pathFails(path) ? 'broken' : 'connected';
      edges.add(`  ${previous} -->|"${mermaidText(pending.join('; '))}"| ${end}`);
    }
  }
  if (ice.length === 0) return ['No TURN URL is handed out in these templates, so there is no relay path to draw.'];
  const lines = ['```mermaid', 'flowchart LR', '  client(["Client (browser)"])'];
  for (const [text, id] of nodes) lines.push(`  ${id}["${mermaidText(text)}"]`);
  const ends = [...edges].join('\n');
  if (ends.includes('| broken')) lines.push('  broken{{"path broken"}}');
  if (ends.includes('| connected')) lines.push('  connected{{"relay reached"}}');
  lines.push(...edges);
  lines.push('  classDef fail stroke:#c00,stroke-width:3px,color:#c00');
  if (ends.includes('| broken')) lines.push('  class broken fail');
  if (failed.size > 0) lines.push(`  class ${[...failed].join(',')} fail`);
  lines.push('```');
  return lines;
}

/** Markdown lines of the Paths section. */
export function renderPathsSection(paths: readonly PathResult[]): string[] {
  const broken = paths.filter(pathFails);
  const lines = [
    '## Paths',
    '',
    'Each path the product depends on, followed hop by hop through the synthesized templates of every stack ' +
      '(docs/paths.md). What is proven here is what the templates say AWS will be told to build: listeners, ' +
      'security-group rules, policies and grants. A hop marked "assumed" depends on something outside the templates ' +
      '(the DNS record of the relay name); that, and run-time facts (targets actually healthy, an alarm actually ' +
      'delivered), only a deployment in a real account can prove.',
    '',
    `Paths: ${paths.length}; broken: ${broken.length}.`,
    '',
    '### Relay path',
    '',
    ...relayPathMermaid(paths),
    '',
  ];
  for (const rule of Object.values(PATH_RULES)) {
    const ofRule = paths.filter((p) => p.rule === rule);
    lines.push(`### ${RULE_TITLES[rule]} (${rule}; ${PATH_RULE_CONTROLS[rule].join(', ')})`, '');
    if (ofRule.length === 0) lines.push('No such path in these templates.', '');
    for (const path of ofRule) {
      lines.push(`#### ${path.title}: ${pathVerdict(path)}`, '', '| hop | verdict | detail |', '|---|---|---|');
      for (const hop of path.hops) {
        const detail = hop.verdict === 'fail' && hop.fix ? `${hop.detail}. Fix: ${hop.fix}` : hop.detail;
        lines.push(`| ${cell(hop.name)} | ${VERDICT_TEXT[hop.verdict]} | ${cell(detail)} |`);
      }
      lines.push('');
    }
  }
  return lines;
}
