import { ConfigError, validateConfig } from '../../config';
import { example } from '../../config/example';

function problemsOf(input: unknown): readonly string[] {
  try {
    validateConfig('under-test', input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const withDetect = (detect: Record<string, unknown>) => ({ ...example, detect });
const backup = (overrides: Record<string, unknown>) =>
  withDetect({ ...example.detect, backup: { ...(example.detect?.backup as object), ...overrides } });

describe('detect config', () => {
  test('a config without a detect block creates every service with the documented defaults', () => {
    const withoutDetect: Record<string, unknown> = { ...example };
    delete withoutDetect.detect;
    const config = validateConfig('under-test', withoutDetect);
    expect(config.detect.config).toEqual({ mode: 'create' });
    expect(config.detect.guardDuty).toEqual({ mode: 'create' });
    expect(config.detect.accessAnalyzer).toEqual({ mode: 'create' });
    expect(config.detect.securityHub).toEqual({ mode: 'create' });
    expect(config.detect.backup).toEqual({
      mode: 'create',
      dailyRetentionDays: 35,
      monthlyRetentionDays: 365,
      vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 3 },
      restoreTesting: { scheduleExpression: 'cron(0 6 ? * MON *)', validationWindowHours: 4 },
    });
  });

  test('existing needs the name of whoever runs the service, and takes no create settings', () => {
    expect(problemsOf(withDetect({ guardDuty: { mode: 'existing' } }))).toEqual([
      expect.stringMatching(/^detect\.guardDuty\.managedBy: /),
    ]);
    expect(problemsOf(withDetect({ config: { mode: 'existing', managedBy: 'x' } }))).toEqual([
      expect.stringMatching(/^detect\.config\.managedBy: must name who runs this service/),
    ]);
    expect(
      problemsOf(withDetect({ backup: { mode: 'existing', managedBy: 'org backup policy', dailyRetentionDays: 35 } })),
    ).toEqual([expect.stringMatching(/dailyRetentionDays/)]);
    const config = validateConfig(
      'under-test',
      withDetect({ config: { mode: 'existing', managedBy: 'organization security account 111111111111' } }),
    );
    expect(config.detect.config).toEqual({ mode: 'existing', managedBy: 'organization security account 111111111111' });
  });

  test('an unknown mode or setting is refused', () => {
    expect(problemsOf(withDetect({ guardDuty: { mode: 'maybe' } }))).not.toEqual([]);
    expect(problemsOf(withDetect({ guardDutty: { mode: 'create' } }))).toEqual([expect.stringMatching(/guardDutty/)]);
  });

  test.each([
    [
      'daily retention below the lock minimum',
      { dailyRetentionDays: 5 },
      /^detect\.backup\.dailyRetentionDays: is 5 days, outside the vault lock's 7-3650 days/,
    ],
    [
      'monthly retention above the lock maximum',
      { monthlyRetentionDays: 4000 },
      /^detect\.backup\.monthlyRetentionDays: is 4000 days, outside the vault lock's 7-3650 days/,
    ],
    [
      'monthly retention shorter than daily',
      { dailyRetentionDays: 60, monthlyRetentionDays: 30 },
      /^detect\.backup\.monthlyRetentionDays: must be at least dailyRetentionDays \(60\)/,
    ],
    [
      'a lock maximum below its minimum',
      {
        vaultLock: { minRetentionDays: 30, maxRetentionDays: 20, changeableForDays: 3 },
        dailyRetentionDays: 30,
        monthlyRetentionDays: 30,
      },
      /^detect\.backup\.vaultLock\.maxRetentionDays: must be at least vaultLock\.minRetentionDays \(30\)/,
    ],
    [
      'a grace period shorter than AWS allows',
      { vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 1 } },
      /^detect\.backup\.vaultLock\.changeableForDays: must be at least 3 days/,
    ],
    [
      'a retention of zero days',
      { dailyRetentionDays: 0 },
      /^detect\.backup\.dailyRetentionDays: must be at least 1 day/,
    ],
    [
      'a validation window beyond a week',
      { restoreTesting: { scheduleExpression: 'cron(0 6 ? * MON *)', validationWindowHours: 200 } },
      /^detect\.backup\.restoreTesting\.validationWindowHours: must be at most 168 hours/,
    ],
    [
      'a schedule that is not a schedule expression',
      { restoreTesting: { scheduleExpression: 'weekly', validationWindowHours: 4 } },
      /^detect\.backup\.restoreTesting\.scheduleExpression: must be an AWS schedule expression/,
    ],
  ])('backup: %s is refused with what to change', (_case, overrides, message) => {
    expect(problemsOf(backup(overrides))).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test('retention on the lock bounds is accepted', () => {
    expect(problemsOf(backup({ dailyRetentionDays: 7, monthlyRetentionDays: 3650 }))).toEqual([]);
  });

  test('the copy region must be a second allowed region', () => {
    expect(problemsOf(backup({ copyToRegion: 'eu-west-1' }))).toEqual([
      expect.stringMatching(/^detect\.backup\.copyToRegion: "eu-west-1" is not in allowedRegions/),
    ]);
    expect(problemsOf(backup({ copyToRegion: 'us-east-1' }))).toEqual([
      expect.stringMatching(/^detect\.backup\.copyToRegion: is the home region \(us-east-1\)/),
    ]);
    expect(problemsOf(backup({ copyToRegion: 'us-west-2' }))).toEqual([]);
  });
});
