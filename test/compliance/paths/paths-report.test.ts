import { evaluatePaths } from '../../../lib/compliance/paths';
import { relayPathMermaid, renderPathsSection } from '../../../lib/compliance/paths/render-markdown';
import {
  buildComplianceReport,
  renderComplianceReportMarkdown,
} from '../../../lib/compliance/report/compliance-report';
import { fixture } from './fixture';

describe('Paths section of compliance-report.md', () => {
  test('lists each path hop by hop with its verdict and the fix of a failing hop', () => {
    const markdown = renderPathsSection(evaluatePaths(fixture('relay-noncompliant'))).join('\n');
    expect(markdown).toContain('## Paths');
    // Three TURN URLs, plus the NLB's and the function's log paths (not applicable in this cut).
    expect(markdown).toContain('Paths: 5; broken: 3.');
    expect(markdown).toContain('#### turn:turn.example.org:3478?transport=udp: **BROKEN**');
    expect(markdown).toMatch(
      /\| listener \| \*\*FAIL\*\* \| load balancer .* \(its listeners: TCP 3478, TLS 443\)\. Fix: Add a UDP/,
    );
    expect(markdown).toContain('| DNS name -> load balancer | assumed (not provable locally) |');
    expect(markdown).toContain('| target group | not reached |');
  });

  test('draws the relay path: client, DNS name, listener, security groups, target group, relays; failing nodes marked', () => {
    const broken = relayPathMermaid(evaluatePaths(fixture('relay-noncompliant'))).join('\n');
    expect(broken).toMatch(/^```mermaid\nflowchart LR\n {2}client\(\["Client \(browser\)"\]\)/);
    for (const node of [
      'DNS name turn.example.org',
      'listener UDP/TCP_UDP 3478 (missing)',
      'listener TLS 443',
      'load-balancer group LoadBalancerSecurityGroupA28D6DD7',
      'target group TLS 5349',
      'relays (FleetASG3971DFE5) in group RelaySecurityGroup16449765',
    ])
      expect(broken).toContain(`["${node}"]`);
    expect(broken).toMatch(/class n\d+,n\d+,n\d+ fail/);
    const connected = relayPathMermaid(evaluatePaths(fixture('relay-compliant'))).join('\n');
    expect(connected).toContain('listener TCP_UDP 3478');
    expect(connected).not.toMatch(/class n\d+.* fail/);
  });

  test('the report builds its paths from the stacks it is given (outputs followed across stacks) and maps them to safeguards', () => {
    const stacks = fixture('alarm-topic-noncompliant').stacks.map((s) => ({
      stackId: s.stackId,
      stackName: s.stackName,
      region: s.region,
      resources: s.resources,
      outputs: s.outputs,
    }));
    const report = buildComplianceReport({
      generatedOn: new Date('2026-12-04T00:00:00Z'),
      stacks,
      exceptions: [],
      packs: [],
      findings: [],
      validationRan: true,
    });
    expect(report.paths.map((p) => p.title)).toEqual([
      'CloudWatch alarms -> HipaaRtcAudit/SecurityAlarmsTopicAF65CDDE',
    ]);
    expect(report.safeguards.find((s) => s.citation === '164.308(a)(6)')?.paths).toEqual([
      { rule: 'HipaaRtcPaths-NotificationDelivery', path: report.paths[0].title, connects: false },
    ]);
    const markdown = renderComplianceReportMarkdown(report);
    expect(markdown).toContain('- Path **is broken** (HipaaRtcPaths-NotificationDelivery): CloudWatch alarms');
    expect(markdown).toContain('## Paths');
  });
});
