/**
 * The credential model: SecretStorage keys, the stored JSON, field validation, region guessing and the
 * sandbox's demo set. Plain Node; the SecretStorage side is tested in-host (test/vscode/credentials.test.ts).
 */
import * as assert from 'node:assert/strict';
import type { ApiSummary } from '../../src/core/spec/types';
import {
  allSlots,
  buildValue,
  checkField,
  demoSlots,
  guessRegion,
  kindInfo,
  parseSecretKey,
  parseStored,
  secretKey,
  secretValues,
  serialize,
  STORAGE_VERSION,
} from '../../src/extension/credentials/model';

function api(partial: Partial<ApiSummary>): ApiSummary {
  return {
    id: 'x',
    source: { kind: 'text', text: '', origin: 'x' },
    origin: 'x',
    title: 'X',
    version: '1',
    specVersion: '3.0',
    servers: [],
    securitySchemes: {},
    security: [],
    extensions: {},
    tags: [],
    operationCount: 0,
    ...partial,
  };
}

describe('credentials model', () => {
  it('keys are namespaced per environment, region and kind, versioned, and parse back', () => {
    const slots = allSlots();
    assert.equal(slots.length, 12, '3 environments × (Sweden client + jwt, Norway client + machine user)');
    const keys = new Set(slots.map(secretKey));
    assert.equal(keys.size, slots.length, 'every slot has its own key');
    for (const slot of slots) {
      const key = secretKey(slot);
      assert.match(key, new RegExp(`^telenor\\.credentials/v${STORAGE_VERSION}/`));
      assert.deepEqual(parseSecretKey(key), slot);
    }
    assert.equal(parseSecretKey('telenor.credentials/v1/sandbox/se/machineUser'), undefined, 'Sweden has no machine user');
    assert.equal(parseSecretKey('telenor.credentials/v2/sandbox/no/client'), undefined, 'another version is not ours');
    assert.equal(parseSecretKey('telenor.history'), undefined);
  });

  it('stored values round-trip, carry a version, and unreadable ones are ignored', () => {
    const client = { clientId: 'id-1', clientSecret: 's3cret!"\\' };
    const text = serialize('client', client);
    assert.equal((JSON.parse(text) as { v: unknown }).v, STORAGE_VERSION);
    assert.deepEqual(parseStored('client', text), client);
    assert.deepEqual(parseStored('jwt', serialize('jwt', { clientId: 'c', userId: '1234567', password: 'p' })), { clientId: 'c', userId: '1234567', password: 'p' });
    assert.equal(parseStored('client', undefined), undefined);
    assert.equal(parseStored('client', '{not json'), undefined);
    assert.equal(parseStored('client', JSON.stringify({ v: 99, clientId: 'a', clientSecret: 'b' })), undefined, 'unknown version');
    assert.equal(parseStored('client', JSON.stringify({ v: STORAGE_VERSION, clientId: 'a' })), undefined, 'incomplete');
    assert.equal(parseStored('jwt', JSON.stringify({ v: STORAGE_VERSION, clientId: 'a', userId: 'abc', password: 'p' })), undefined, 'userId not a number');
  });

  it('validates fields: non-empty after trimming, one line, userId digits, a hint for unusual machine users', () => {
    assert.equal(checkField('client', 'clientId', '   ')?.severity, 'error');
    assert.match(checkField('client', 'clientId', '')?.message ?? '', /cannot be empty/);
    assert.equal(checkField('client', 'clientSecret', 'a\nb')?.severity, 'error');
    assert.equal(checkField('jwt', 'userId', '12a4')?.severity, 'error');
    assert.equal(checkField('jwt', 'userId', ' 1234567 '), undefined, 'surrounding spaces are trimmed, not an error');
    const user = checkField('machineUser', 'username', 'kari@example.com');
    assert.equal(user?.severity, 'warning', 'a personal login is probably wrong, but not impossible');
    assert.match(user?.message ?? '', /api7813371375/);
    assert.equal(checkField('machineUser', 'username', 'api7813371375'), undefined);
    assert.equal(checkField('client', 'clientSecret', 'has space inside'), undefined, 'secrets may contain anything');
  });

  it('builds trimmed values from loose input and names the first problem', () => {
    assert.deepEqual(buildValue('client', { clientId: ' id ', clientSecret: '\tsecret ' }), { value: { clientId: 'id', clientSecret: 'secret' } });
    assert.deepEqual(buildValue('jwt', { clientId: 'c', userId: 1234567, password: 'p' }), { value: { clientId: 'c', userId: '1234567', password: 'p' } });
    const missing = buildValue('machineUser', { username: 'api1' });
    assert.ok('problem' in missing && /password cannot be empty/i.test(missing.problem));
  });

  it('explains every kind with where to find it (the seeds’ wording) and marks secret fields', () => {
    assert.match(kindInfo('machineUser', 'no').detail, /Min Bedrift machine user, looks like api7813371375/);
    assert.match(kindInfo('client', 'no').detail, /Under your apps in your dashboard/);
    assert.match(kindInfo('client', 'se').detail, /agreement; test and production/);
    assert.match(kindInfo('jwt', 'se').detail, /hasPermission/);
    for (const [kind, region] of [['client', 'se'], ['client', 'no'], ['machineUser', 'no'], ['jwt', 'se']] as const) {
      const secrets = kindInfo(kind, region).fields.filter((f) => f.secret).map((f) => f.name);
      assert.deepEqual(secrets, [kind === 'client' ? 'clientSecret' : 'password'], `${kind}/${region}`);
    }
  });

  it('lists the secret values to mask: secrets, passwords and the Basic spelling — never ids', () => {
    const values = secretValues('client', { clientId: 'my-id', clientSecret: 'my-secret' });
    assert.ok(values.includes('my-secret'));
    assert.ok(values.includes(Buffer.from('my-id:my-secret').toString('base64')));
    assert.ok(!values.includes('my-id'));
    assert.deepEqual(secretValues('jwt', { clientId: 'c', userId: '1', password: 'pw' }), ['pw']);
  });

  it('guesses the region from x-telenor, its grant, an X-JWT scheme, a token URL or a server host', () => {
    assert.equal(guessRegion(api({ extensions: { 'x-telenor': { region: 'no', grant: 'no-password' } } })), 'no');
    assert.equal(guessRegion(api({ extensions: { 'x-telenor': { grant: 'se-client-credentials' } } })), 'se');
    assert.equal(guessRegion(api({ securitySchemes: { jwt: { type: 'apiKey', in: 'header', name: 'X-JWT' } } })), 'se');
    assert.equal(
      guessRegion(api({ securitySchemes: { o: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://api.telenor.no/oauth/v2/token', scopes: {} } } } } })),
      'no',
    );
    assert.equal(guessRegion(api({ servers: [{ url: 'https://api.telenor.se/x' }] })), 'se');
    assert.equal(guessRegion(api({ extensions: { 'x-telenor': { region: 'no' } } }), { region: 'se' }), 'se', 'the settings override wins');
    assert.equal(guessRegion(api({})), undefined);
  });

  it('turns the sandbox’s DemoCredentials into four sandbox slots, or nothing when the shape is wrong', () => {
    const demo = {
      se: { clientId: 'sandbox-se-key', clientSecret: 'sandbox-se-secret', jwt: { clientId: 'sandbox-jwt-client', userId: '1234567', password: 'sandbox-jwt-password' } },
      no: {
        clientId: 'sandbox-no-client',
        clientSecret: 'sandbox-no-secret',
        machineUser: { username: 'api7813371375', password: 'sandbox-machine-password' },
        storesClient: { clientId: 'sandbox-no-stores', clientSecret: 'sandbox-no-stores-secret' },
      },
    };
    const slots = demoSlots(demo);
    assert.ok(slots);
    assert.deepEqual(
      slots.map((s) => `${s.slot.environment}/${s.slot.region}/${s.slot.kind}`),
      ['sandbox/se/client', 'sandbox/se/jwt', 'sandbox/no/client', 'sandbox/no/machineUser'],
    );
    assert.deepEqual(slots[3]?.value, { username: 'api7813371375', password: 'sandbox-machine-password' });
    assert.equal(demoSlots({ se: demo.se }), undefined);
    assert.equal(demoSlots('nope'), undefined);
    assert.equal(demoSlots({ ...demo, no: { ...demo.no, machineUser: { username: 'api1' } } }), undefined);
  });
});
