import { eligibilityScp } from '../../lib/compliance/scp/account-scp';
import {
  iamPrefixesOfNamespace,
  iamPrefixesOfType,
  prefixesRefusedByTheGate,
} from '../../lib/compliance/scp/namespace-prefixes';
import { scpAllowsResourceType, scpDeniesAction } from '../../lib/compliance/scp/scp-verdict';

/** The namespace -> IAM prefix map and the SCP evaluator the agreement test rests on. */
describe('IAM prefixes behind a namespace', () => {
  test.each([
    ['AWS::S3', ['s3', 's3express']],
    ['AWS::SecurityHub', ['securityhub']],
    ['AWS::AppRunner', ['apprunner']], // no list entry: the lowercased service name
    ['AWS::IdentityStore', ['identitystore']], // explicit: its list entry (Identity Center) has other prefixes
    ['AWS::PinpointEmail', ['ses']],
    ['AWS::CDK', []],
    ['AWS::Serverless', []],
  ])('%s -> %j', (namespace, prefixes) => {
    expect(iamPrefixesOfNamespace(namespace)).toEqual(prefixes);
  });

  test('a namespace naming several list entries gets the prefixes of all of them', () => {
    expect(iamPrefixesOfNamespace('AWS::EC2')).toContain('ec2');
    expect(iamPrefixesOfNamespace('AWS::RDS')).toEqual(expect.arrayContaining(['rds', 'rds-data', 'rds-db']));
    expect(iamPrefixesOfType('AWS::DocDB::DBCluster')).toContain('rds');
  });

  test('a prefix that also serves an allowed namespace is never refused', () => {
    const refused = prefixesRefusedByTheGate();
    expect(refused.get('health-agent')).toEqual(['AWS::HealthAgent']);
    expect(refused.has('timestream')).toBe(false); // decided by type: Timestream for LiveAnalytics is eligible
    expect(refused.has('securityhub')).toBe(false); // decided by type: the CSPM types are eligible
    expect(refused.has('rds')).toBe(false); // DocumentDB and Neptune
    expect(refused.has('iot')).toBe(false); // IoT Core
    expect(refused.has('s3')).toBe(false);
  });
});

describe('SCP evaluation', () => {
  const { document } = eligibilityScp();

  test('NotAction denies every prefix it does not list; Action denies exactly what it names', () => {
    expect(scpDeniesAction(document, 's3:PutObject')).toBe(false);
    expect(scpDeniesAction(document, 'apprunner:CreateService')).toBe(true);
    expect(scpDeniesAction(document, 'ds:CreateDirectory')).toBe(true);
    expect(scpDeniesAction(document, 'ds:CreateMicrosoftAD')).toBe(false);
  });

  test.each([
    ['AWS::S3::Bucket', true],
    ['AWS::AppRunner::Service', false],
    ['AWS::SecurityHub::Hub', true],
    ['AWS::SecurityHub::HubV2', false],
    ['AWS::Timestream::Table', true],
    ['AWS::Timestream::InfluxDBInstance', false], // its own prefix, timestream-influxdb, is not on the list
    ['AWS::RDS::CustomDBEngineVersion', false],
    ['AWS::RDS::DBSubnetGroup', true],
    ['AWS::DirectoryService::SimpleAD', false],
    ['AWS::DirectoryService::MicrosoftAD', true],
    ['AWS::CDK::Metadata', true],
    ['Acme::Widget::Thing', false],
  ])('%s: allowed %s', (type, allowed) => {
    expect(scpAllowsResourceType(document, type)).toBe(allowed);
  });
});
