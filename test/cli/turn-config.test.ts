import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { bootScriptBlobs } from '../../lib/relay/boot-script';
import { buildExampleApp } from '../helpers/test-app';

const BIN = path.resolve(__dirname, '../../bin/hipaa-rtc-cli.js');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The files the relay's user data writes, decoded (CloudFormation tokens in the script are skipped). */
function userDataBlobs(): string[] {
  const template = Template.fromStack(buildExampleApp().relay).toJSON();
  const launchTemplate = Object.values(template.Resources as Record<string, any>).find(
    (r) => r.Type === 'AWS::EC2::LaunchTemplate',
  );
  const parts: unknown[] = launchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
  const script = parts.filter((p): p is string => typeof p === 'string').join('');
  return bootScriptBlobs(script);
}

test('prints exactly the turnserver.conf the relays boot with, which holds no secret', () => {
  const { code, stdout, stderr } = cli('turn-config', '-c', 'config=example');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(/^use-auth-secret$/m);
  expect(stdout).not.toContain('static-auth-secret'); // secrets live in coturn's database (secret-sync.ts)
  expect(stdout).toContain('realm=turn.example.org');
  expect(stdout).toMatch(/^denied-peer-ip=10\.20\.0\.0-10\.20\.255\.255$/m); // the example VPC CIDR
  expect(userDataBlobs()).toContain(stdout);
});

test('defaults to the example config, like cdk synth', () => {
  expect(cli('turn-config').stdout).toBe(cli('turn-config', '-c', 'config=example').stdout);
});

test.each([
  [['-c', 'config=nope'], /Unknown config "nope"/],
  [['-c', 'region=us-east-1'], /only config=<name> is read/],
  [['-c', 'garbage'], /expects key=value/],
])('bad input %j: exit 2 with a message', (args, message) => {
  const { code, stderr } = cli('turn-config', ...args);
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
});
