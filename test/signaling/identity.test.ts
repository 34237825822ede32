import { checkSubject } from '../../lib/signaling/identity';

describe('checkSubject accepts opaque ids', () => {
  test.each([
    '0f8fad5b-d9cb-469f-a165-70867728950e', // UUID (Cognito sub)
    'us-east-1:0f8fad5b-d9cb-469f-a165-70867728950e', // Cognito identity id
    'kX3v_9QbLr2mZt8sPq0wYg', // 128 random bits, base64url
    'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA', // base64url
    '8f14e45fceea167a5a36dedd4bea2543', // hex
  ])('%s', (subject) => {
    expect(checkSubject(subject)).toEqual({ ok: true });
  });
});

describe('checkSubject refuses PHI-like subjects', () => {
  test.each([
    ['e-mail', 'jane.doe@example.com', /e-mail/],
    ['url-encoded e-mail', 'jane.doe%40example.com', /e-mail/],
    ['phone (E.164)', '+15550109999', /phone/],
    ['phone (formatted)', '(555) 010-9999', /phone/],
    ['phone (dotted)', '555.010.9999', /phone/],
    ['full name', 'Jane Doe', /whitespace|name/],
    ['snake-case name', 'jane_doe_smith_1980', /name|words/],
    ['kebab-case name', 'Jane-Doe-Smith-MD', /name|words/],
    ['camel-case name', 'JaneDoeSmithJones', /name|words/],
    ['short handle', 'jdoe', /opaque/],
    ['empty', '', /missing/],
  ])('%s', (_name, subject, reason) => {
    const result = checkSubject(subject);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test('a non-string subject is refused', () => {
    expect(checkSubject(42).ok).toBe(false);
    expect(checkSubject(undefined).ok).toBe(false);
  });

  test('random base64url ids are nearly always accepted (false refusals stay rare)', () => {
    const { randomBytes } = jest.requireActual('node:crypto') as typeof import('node:crypto');
    let refused = 0;
    for (let i = 0; i < 2000; i++) if (!checkSubject(randomBytes(16).toString('base64url')).ok) refused += 1;
    expect(refused).toBeLessThan(10);
  });
});
