/**
 * The fake against the documented Secrets Manager semantics it claims (see its header), so the handler tests that
 * use it prove something about the real service. Each test names the documented rule it checks.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  FakeSecretsManager,
  type ConfigurationTestVersion,
  type RotationStepEvent,
} from './rotation-fake-secrets-manager';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf';
const V1 = '11111111-1111-4111-8111-111111111111';
const V2 = '22222222-2222-4222-8222-222222222222';
const V3 = '33333333-3333-4333-8333-333333333333';

function fake(): FakeSecretsManager {
  return new FakeSecretsManager(ARN, 'one', V1);
}
const get = (sm: FakeSecretsManager, input: Record<string, string> = {}) =>
  sm.send(new GetSecretValueCommand({ SecretId: ARN, ...input }));
const put = (sm: FakeSecretsManager, token: string, value: string, stages?: string[]) =>
  sm.send(
    new PutSecretValueCommand({
      SecretId: ARN,
      ClientRequestToken: token,
      SecretString: value,
      ...(stages ? { VersionStages: stages } : {}),
    }),
  );
const stages = async (sm: FakeSecretsManager) =>
  (await sm.send(new DescribeSecretCommand({ SecretId: ARN }))).VersionIdsToStages;
const update = (sm: FakeSecretsManager, input: Record<string, string>) =>
  sm.send(new UpdateSecretVersionStageCommand({ SecretId: ARN, VersionStage: 'AWSCURRENT', ...input }));

describe('GetSecretValue', () => {
  test('returns AWSCURRENT when neither VersionId nor VersionStage is given', async () => {
    await expect(get(fake())).resolves.toMatchObject({ VersionId: V1, SecretString: 'one' });
  });

  test('VersionId and VersionStage must name the same version', async () => {
    const sm = fake();
    await put(sm, V2, 'two', ['AWSPENDING']);
    await expect(get(sm, { VersionId: V2, VersionStage: 'AWSPENDING' })).resolves.toMatchObject({
      SecretString: 'two',
    });
    await expect(get(sm, { VersionId: V2, VersionStage: 'AWSCURRENT' })).rejects.toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
  });

  test("an empty version (RotateSecret's AWSPENDING) has no value: ResourceNotFoundException", async () => {
    const sm = fake();
    const token = sm.startRotation(V2);
    await expect(get(sm, { VersionId: token })).rejects.toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
  });

  test('another secret is not found', async () => {
    await expect(fake().send(new GetSecretValueCommand({ SecretId: `${ARN}x` }))).rejects.toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
  });
});

describe('PutSecretValue', () => {
  test('without VersionStages, AWSCURRENT moves to the new version and AWSPREVIOUS to the old one', async () => {
    const sm = fake();
    await put(sm, V2, 'two');
    expect(await stages(sm)).toEqual({ [V1]: ['AWSPREVIOUS'], [V2]: ['AWSCURRENT'] });
  });

  test('a label named in VersionStages moves from the version that had it', async () => {
    const sm = fake();
    await put(sm, V2, 'two', ['AWSPENDING']);
    await put(sm, V3, 'three', ['AWSPENDING']);
    expect(await stages(sm)).toEqual({ [V1]: ['AWSCURRENT'], [V3]: ['AWSPENDING'] });
  });

  test('same token and same value: the request is ignored (labels unchanged)', async () => {
    const sm = fake();
    await put(sm, V2, 'two', ['AWSCURRENT']);
    await update(sm, { MoveToVersionId: V1, RemoveFromVersionId: V2 });
    await put(sm, V2, 'two', ['AWSCURRENT']);
    expect(sm.holderOf('AWSCURRENT')).toBe(V1);
  });

  test('same token and another value: ResourceExistsException, nothing changes', async () => {
    const sm = fake();
    await put(sm, V2, 'two');
    await expect(put(sm, V2, 'other')).rejects.toThrow(expect.objectContaining({ name: 'ResourceExistsException' }));
    expect(sm.valueAt('AWSCURRENT')).toBe('two');
  });

  test("the token of RotateSecret's empty version gets its value", async () => {
    const sm = fake();
    const token = sm.startRotation(V2);
    await put(sm, token, 'two', ['AWSPENDING']);
    expect(sm.valueAt('AWSPENDING')).toBe('two');
  });

  test('a ClientRequestToken outside 32-64 characters is invalid', async () => {
    await expect(put(fake(), 'short', 'x')).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidParameterException' }),
    );
    await expect(put(fake(), 'x'.repeat(65), 'x')).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidParameterException' }),
    );
  });
});

describe('UpdateSecretVersionStage', () => {
  test('moving a label attached elsewhere needs RemoveFromVersionId naming that version', async () => {
    const sm = fake();
    await put(sm, V2, 'two', ['AWSPENDING']);
    await expect(update(sm, { MoveToVersionId: V2 })).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidParameterException' }),
    );
    await expect(update(sm, { MoveToVersionId: V2, RemoveFromVersionId: V2 })).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidParameterException' }),
    );
    await update(sm, { MoveToVersionId: V2, RemoveFromVersionId: V1 });
    expect(await stages(sm)).toEqual({ [V1]: ['AWSPREVIOUS'], [V2]: ['AWSPENDING', 'AWSCURRENT'] });
  });

  test('removing a label needs the version that has it; a version left without labels is deprecated', async () => {
    const sm = fake();
    await put(sm, V2, 'two', ['AWSPENDING']);
    const remove = (from: string) =>
      sm.send(
        new UpdateSecretVersionStageCommand({ SecretId: ARN, VersionStage: 'AWSPENDING', RemoveFromVersionId: from }),
      );
    await expect(remove(V1)).rejects.toThrow(expect.objectContaining({ name: 'InvalidParameterException' }));
    await remove(V2);
    expect(await stages(sm)).toEqual({ [V1]: ['AWSCURRENT'] });
  });

  test('moving to a version that does not exist is ResourceNotFoundException', async () => {
    await expect(update(fake(), { MoveToVersionId: V3, RemoveFromVersionId: V1 })).rejects.toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
  });
});

describe('RotateSecret (startRotation)', () => {
  test('creates an empty AWSPENDING version', async () => {
    const sm = fake();
    sm.startRotation(V2);
    expect(await stages(sm)).toEqual({ [V1]: ['AWSCURRENT'], [V2]: ['AWSPENDING'] });
  });

  test('refuses while AWSPENDING is on a version other than AWSCURRENT', () => {
    const sm = fake();
    sm.startRotation(V2);
    expect(() => sm.startRotation(V3)).toThrow(/previous rotation isn't complete/);
  });

  test('AWSPENDING left on the AWSCURRENT version does not block a new rotation', async () => {
    const sm = fake();
    await put(sm, V2, 'two', ['AWSPENDING', 'AWSCURRENT']);
    sm.startRotation(V3);
    expect(await stages(sm)).toEqual({ [V1]: ['AWSPREVIOUS'], [V2]: ['AWSCURRENT'], [V3]: ['AWSPENDING'] });
  });
});

describe('RotateSecret (rotateSecret) invoking the rotation function', () => {
  /** A rotation function that records what it saw and does what `onStep` says. */
  function recorder(sm: FakeSecretsManager, onStep: (event: RotationStepEvent) => Promise<void> = async () => {}) {
    const seen: { step: string; token: string; labels: string[] | undefined; value: string | undefined }[] = [];
    const invoke = async (event: RotationStepEvent) => {
      const version = sm.versions.get(event.ClientRequestToken);
      seen.push({
        step: event.Step,
        token: event.ClientRequestToken,
        labels: ((await stages(sm)) as Record<string, string[]>)[event.ClientRequestToken],
        value: version?.secretString,
      });
      await onStep(event);
    };
    return { seen, invoke };
  }

  test('RotateImmediately (the default): the four steps in order, on a new empty AWSPENDING version', async () => {
    const sm = fake();
    const { seen, invoke } = recorder(sm);
    await expect(sm.rotateSecret({ invoke, token: V2 })).resolves.toBe(V2);
    expect(seen).toEqual(
      ['createSecret', 'setSecret', 'testSecret', 'finishSecret'].map((step) => ({
        step,
        token: V2,
        labels: ['AWSPENDING'],
        value: undefined,
      })),
    );
  });

  test('RotateImmediately: the first failing step stops the rotation and is its failure', async () => {
    const sm = fake();
    const { seen, invoke } = recorder(sm, async (event) => {
      if (event.Step === 'setSecret') throw new Error('setSecret failed');
    });
    await expect(sm.rotateSecret({ invoke, token: V2 })).rejects.toThrow('setSecret failed');
    expect(seen.map((s) => s.step)).toEqual(['createSecret', 'setSecret']);
    expect(sm.holderOf('AWSPENDING')).toBe(V2);
  });

  test.each<[ConfigurationTestVersion, string[] | undefined, string | undefined]>([
    ['empty', ['AWSPENDING'], undefined],
    ['copy-of-current', ['AWSPENDING'], 'one'],
    ['unlabelled', undefined, undefined],
  ])(
    'RotateImmediately=false: only testSecret, on a version shaped "%s", which is removed afterwards',
    async (shape, labels, value) => {
      const sm = fake();
      const { seen, invoke } = recorder(sm);
      await sm.rotateSecret({ invoke, rotateImmediately: false, token: V2, configurationTestVersion: shape });
      expect(seen).toEqual([{ step: 'testSecret', token: V2, labels, value }]);
      expect(await stages(sm)).toEqual({ [V1]: ['AWSCURRENT'] });
      expect(sm.versions.has(V2)).toBe(false);
    },
  );

  test('RotateImmediately=false: a failing testSecret fails RotateSecret; the version is removed anyway', async () => {
    const sm = fake();
    const { invoke } = recorder(sm, async () => {
      throw new Error('testSecret failed');
    });
    await expect(sm.rotateSecret({ invoke, rotateImmediately: false, token: V2 })).rejects.toThrow('testSecret failed');
    expect(await stages(sm)).toEqual({ [V1]: ['AWSCURRENT'] });
  });

  test('either way, refused while AWSPENDING is on a version other than AWSCURRENT; nothing is invoked', async () => {
    const sm = fake();
    sm.startRotation(V2);
    const { seen, invoke } = recorder(sm);
    for (const rotateImmediately of [true, false]) {
      await expect(sm.rotateSecret({ invoke, rotateImmediately, token: V3 })).rejects.toThrow(
        expect.objectContaining({ name: 'InvalidRequestException' }),
      );
    }
    expect(seen).toEqual([]);
    expect(await stages(sm)).toEqual({ [V1]: ['AWSCURRENT'], [V2]: ['AWSPENDING'] });
  });
});

describe('injected faults (for retry tests)', () => {
  test('before: the call fails and takes no effect', async () => {
    const sm = fake();
    sm.injectFault('PutSecretValueCommand');
    await expect(put(sm, V2, 'two')).rejects.toThrow(expect.objectContaining({ name: 'InternalServiceError' }));
    expect(sm.valueAt('AWSCURRENT')).toBe('one');
  });

  test('after: the call takes effect but the caller sees a failure (a lost response), once', async () => {
    const sm = fake();
    sm.injectFault('PutSecretValueCommand', { after: true });
    await expect(put(sm, V2, 'two')).rejects.toThrow(/injected fault/);
    expect(sm.valueAt('AWSCURRENT')).toBe('two');
    await expect(put(sm, V3, 'three')).resolves.toMatchObject({ VersionId: V3 });
  });
});

describe('replica regions', () => {
  const WEST = ARN.replace(':us-east-1:', ':us-west-2:');

  test('DescribeSecret on the primary lists ReplicationStatus only when there are replicas', async () => {
    const sm = fake();
    expect(await sm.send(new DescribeSecretCommand({ SecretId: ARN }))).not.toHaveProperty('ReplicationStatus');
    sm.addReplica('us-west-2');
    sm.setReplicaStatus('us-west-2', 'Failed', 'Secret with this name already exists in this region');
    expect((await sm.send(new DescribeSecretCommand({ SecretId: ARN }))).ReplicationStatus).toEqual([
      { Region: 'us-west-2', Status: 'Failed', StatusMessage: 'Secret with this name already exists in this region' },
    ]);
  });

  test('a replica is created from AWSCURRENT and lags (still InSync) until replication reaches it', async () => {
    const sm = fake();
    sm.addReplica('us-west-2');
    const west = sm.replicaClient('us-west-2');
    await put(sm, V2, 'two');
    expect(await west.send(new GetSecretValueCommand({ SecretId: WEST, VersionStage: 'AWSCURRENT' }))).toMatchObject({
      SecretString: 'one',
    });
    expect((await sm.send(new DescribeSecretCommand({ SecretId: ARN }))).ReplicationStatus).toEqual([
      { Region: 'us-west-2', Status: 'InSync' },
    ]);
    sm.replicate('us-west-2');
    expect(await west.send(new GetSecretValueCommand({ SecretId: WEST }))).toMatchObject({ SecretString: 'two' });
  });

  test("the replica answers only to its own ARN (the primary's with the region replaced)", async () => {
    const sm = fake();
    sm.addReplica('us-west-2');
    await expect(sm.replicaClient('us-west-2').send(new GetSecretValueCommand({ SecretId: ARN }))).rejects.toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
    await expect(
      sm
        .replicaClient('eu-central-1')
        .send(new GetSecretValueCommand({ SecretId: ARN.replace('us-east-1', 'eu-central-1') })),
    ).rejects.toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
  });
});
