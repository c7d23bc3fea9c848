/**
 * The request form's model: operation → form view, form → RequestValues (which buildRequest turns into the
 * URL that is sent), inline validation, and what may be kept in webview state and history.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildRequest } from '../../src/core/http/build';
import type { OperationInfo } from '../../src/core/spec/types';
import { Redactor } from '../../src/core/util/redact';
import {
  apiKeyNames,
  formFromValues,
  isSecretName,
  maskSecretInputs,
  withoutSecretQuery,
  jsonSyntaxProblem,
  operationView,
  pickMediaType,
  sanitizeForState,
  toRequestValues,
  validateForm,
} from '../../src/extension/panel/form';
import { historyEntry, HistoryStore, type MementoLike } from '../../src/extension/panel/history';
import { emptyForm, type FormValues } from '../../src/protocol';

function op(partial: Partial<OperationInfo> = {}): OperationInfo {
  return {
    id: '#/paths/~1corporate-mobile-subscriptions~1v2~1mobile-subscriptions/get',
    method: 'get',
    path: '/corporate-mobile-subscriptions/v2/mobile-subscriptions',
    tags: [],
    deprecated: false,
    parameters: [
      { name: 'pageSize', in: 'query', required: false, type: 'integer', default: 100, minimum: 1, maximum: 1000 },
      { name: 'ascending', in: 'query', required: false, type: 'boolean' },
      { name: 'status', in: 'query', required: false, type: 'string', enum: ['ACTIVE', 'TERMINATED'] },
      { name: 'ids', in: 'query', required: false, type: 'array', items: { type: 'integer' } },
    ],
    responses: [{ status: '200', mediaTypes: ['application/json'] }],
    security: [{ oauth: [] }],
    ...partial,
  };
}

const accountOp = op({
  id: '#/paths/~1corporate-accounts~1v2~1accounts~1{accountId}/get',
  path: '/corporate-accounts/v2/accounts/{accountId}',
  parameters: [
    { name: 'accountId', in: 'path', required: true, type: 'string', example: '48120000' },
    { name: 'X-Request-Id', in: 'header', required: false, type: 'string' },
    { name: 'session', in: 'cookie', required: false, type: 'string' },
  ],
});

const postOp = op({
  method: 'post',
  path: '/things',
  parameters: [],
  requestBody: { required: true, contents: [{ mediaType: 'application/json', hasExample: true }, { mediaType: 'application/x-www-form-urlencoded', hasExample: false }] },
});

function formWith(partial: Partial<FormValues>): FormValues {
  return { ...emptyForm(), ...partial };
}

describe('request panel form model', () => {
  describe('operationView', () => {
    it('turns parameters into form fields: types, enums (booleans too), defaults and examples as text', () => {
      const view = operationView('api', 'Mobile Subscription Info API', op(), { 'query:pageSize': 25 });
      assert.equal(view.method, 'GET');
      const [pageSize, ascending, status, ids] = view.parameters;
      assert.deepEqual(pageSize, { name: 'pageSize', in: 'query', required: false, type: 'integer', default: '100', example: '25', minimum: 1, maximum: 1000 });
      assert.deepEqual(ascending?.enum, ['true', 'false']);
      assert.deepEqual(status?.enum, ['ACTIVE', 'TERMINATED']);
      assert.equal(ids?.itemsType, 'integer');
    });

    it('marks path parameters required even when a spec forgets to', () => {
      const view = operationView('api', 'A', op({ path: '/a/{id}', parameters: [{ name: 'id', in: 'path', required: false }] }));
      assert.equal(view.parameters[0]?.required, true);
    });

    it('lists body media types', () => {
      assert.deepEqual(operationView('api', 'A', postOp).body, { required: true, mediaTypes: ['application/json', 'application/x-www-form-urlencoded'] });
    });
  });

  describe('form → RequestValues → the request that is sent', () => {
    it('leaves empty optional fields out and serialises the rest', () => {
      const form = formWith({ query: { pageSize: '10', ascending: '', status: 'ACTIVE', ids: '1, 2' } });
      const values = toRequestValues(form, 'http://127.0.0.1:4711', false);
      assert.deepEqual(values.query, { pageSize: '10', status: 'ACTIVE', ids: '1, 2' });
      const prepared = buildRequest(op(), values);
      assert.equal(prepared.url, 'http://127.0.0.1:4711/corporate-mobile-subscriptions/v2/mobile-subscriptions?pageSize=10&status=ACTIVE&ids=1&ids=2');
    });

    it('fills path parameters, headers and cookies', () => {
      const form = formWith({ path: { accountId: '48 12' }, headers: { 'X-Request-Id': 'r1' }, cookies: { session: 'abc' } });
      const prepared = buildRequest(accountOp, toRequestValues(form, 'https://api.telenor.no/', false));
      assert.equal(prepared.url, 'https://api.telenor.no/corporate-accounts/v2/accounts/48%2012');
      assert.equal(prepared.headers['X-Request-Id'], 'r1');
      assert.equal(prepared.headers['cookie'], 'session=abc');
    });

    it('sends the body with the chosen media type, and no body when it is empty', () => {
      const withBody = toRequestValues(formWith({ body: '{"a":1}', mediaType: 'application/json' }), 'http://127.0.0.1:1', true);
      assert.equal(withBody.body, '{"a":1}');
      assert.equal(withBody.contentType, 'application/json');
      const prepared = buildRequest(postOp, withBody);
      assert.equal(prepared.headers['content-type'], 'application/json');
      assert.equal(toRequestValues(formWith({ body: '', mediaType: 'application/json' }), 'http://x', true).body, undefined);
    });

    it('formFromValues takes a hover or command target (query arrays joined)', () => {
      const form = formFromValues({ path: { accountId: '1' }, query: { ids: ['1', '2'], q: 'x' }, headers: { A: 'b' }, body: '{}' }, 'application/json');
      assert.deepEqual(form, { path: { accountId: '1' }, query: { ids: '1,2', q: 'x' }, headers: { A: 'b' }, cookies: {}, body: '{}', mediaType: 'application/json' });
    });

    it('pickMediaType prefers the asked one, then JSON', () => {
      assert.equal(pickMediaType(['text/plain', 'application/vnd.api+json']), 'application/vnd.api+json');
      assert.equal(pickMediaType(['text/plain', 'application/json'], 'text/plain'), 'text/plain');
      assert.equal(pickMediaType([]), '');
    });
  });

  describe('validateForm', () => {
    it('blocks on a missing required path parameter and a missing required body', () => {
      const issues = validateForm(emptyForm(), operationView('a', 'A', accountOp));
      assert.deepEqual(issues, [{ in: 'path', name: 'accountId', severity: 'error', message: 'accountId is required.' }]);
      const body = validateForm(formWith({ mediaType: 'application/json' }), operationView('a', 'A', postOp));
      assert.equal(body[0]?.severity, 'error');
      assert.equal(body[0]?.in, 'body');
    });

    it('reports a JSON body that does not parse with its line and column', () => {
      const issues = validateForm(formWith({ body: '{\n  "a": 1,\n  "b": }', mediaType: 'application/json' }), operationView('a', 'A', postOp));
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.severity, 'error');
      assert.match(issues[0]?.message ?? '', /line 3, column 8/);
    });

    it('does not JSON-check a form-encoded body', () => {
      assert.deepEqual(validateForm(formWith({ body: 'a=1&b=2', mediaType: 'application/x-www-form-urlencoded' }), operationView('a', 'A', postOp)), []);
    });

    it('warns (without blocking) on values that do not fit the type, enum or range', () => {
      const issues = validateForm(formWith({ query: { pageSize: '0', ascending: 'maybe', status: 'GONE', ids: '1,x' } }), operationView('a', 'A', op()));
      assert.deepEqual(
        issues.map((i) => [i.name, i.severity]),
        [
          ['pageSize', 'warning'],
          ['ascending', 'warning'],
          ['status', 'warning'],
          ['ids', 'warning'],
        ],
      );
      assert.match(issues[0]?.message ?? '', /at least 1/);
      const store = operationView('a', 'A', op({ parameters: [{ name: 'storeId', in: 'query', required: false, type: 'string', pattern: '^\\d{4}$' }] }));
      assert.match(validateForm(formWith({ query: { storeId: '12a' } }), store)[0]?.message ?? '', /pattern/);
      assert.deepEqual(validateForm(formWith({ query: { storeId: '1001' } }), store), []);
      const broken = operationView('a', 'A', op({ parameters: [{ name: 'x', in: 'query', required: false, type: 'string', pattern: '([' }] }));
      assert.deepEqual(validateForm(formWith({ query: { x: 'anything' } }), broken), [], 'a pattern that does not compile is ignored');
    });

    it('jsonSyntaxProblem names the place and the reason of common mistakes', () => {
      assert.equal(jsonSyntaxProblem('{"a":[1,2,{"b":null}]}'), undefined);
      assert.match(jsonSyntaxProblem('{"a":') ?? '', /line 1, column 6\): the text ends where a value should be/);
      assert.match(jsonSyntaxProblem('{"a": 1,}') ?? '', /column 8\): a trailing comma before '}'/);
      assert.match(jsonSyntaxProblem('[1,\n]') ?? '', /line 1, column 3\): a trailing comma before ']'/);
      assert.match(jsonSyntaxProblem('{"a": 1, 2}') ?? '', /expected a "quoted" property name, found '2'/);
      assert.match(jsonSyntaxProblem("{'a': 1}") ?? '', /single quote/);
      assert.match(jsonSyntaxProblem('[1 2]') ?? '', /expected ',' or ']'/);
      assert.match(jsonSyntaxProblem('{"a": "x\ny"}') ?? '', /line break/);
      assert.match(jsonSyntaxProblem('{} x') ?? '', /after the JSON value/);
    });

    it('jsonSyntaxProblem agrees with JSON.parse on what is valid', () => {
      const agrees = (text: string): void => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        assert.equal(jsonSyntaxProblem(text) === undefined, valid, text);
      };
      fc.assert(fc.property(fc.json(), agrees), { numRuns: 300 });
      fc.assert(fc.property(fc.string({ maxLength: 30 }), agrees), { numRuns: 1000 });
      fc.assert(
        fc.property(fc.json(), fc.nat(), (json, cut) => agrees(json.slice(0, cut % (json.length + 1)))),
        { numRuns: 300 },
      );
    });
  });

  describe('what may be kept', () => {
    const secretForm = formWith({
      path: { accountId: '48120000' },
      query: { pageSize: '10', access_token: 'tok-1234567890abcdef' },
      headers: { Authorization: 'Bearer tok-1234567890abcdef', 'X-JWT': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'X-Request-Id': 'r1', Cookie: 'sid=1' },
      cookies: { session: 'abc' },
      body: '{"clientId":"c","userId":1234567,"password":"hunter2-secret"}',
      mediaType: 'application/json',
    });

    it('webview state drops credential headers, cookies, secret query values and bodies with credentials', () => {
      const state = sanitizeForState(secretForm);
      assert.deepEqual(state.headers, { 'X-Request-Id': 'r1' });
      assert.deepEqual(state.query, { pageSize: '10' });
      assert.deepEqual(state.cookies, {});
      assert.equal(state.body, '');
      assert.ok(!JSON.stringify(state).includes('tok-1234567890abcdef'));
      assert.ok(!JSON.stringify(state).includes('hunter2'));
      // A harmless body stays.
      assert.equal(sanitizeForState(formWith({ body: '{"name":"x"}' })).body, '{"name":"x"}');
    });

    it('history drops secrets (registered values too) and says what it dropped', () => {
      const redactor = new Redactor();
      redactor.register('registered-secret-value-42');
      const entry = historyEntry(
        {
          id: '1',
          at: 1,
          method: 'GET',
          url: 'http://127.0.0.1:1/x?access_token=tok-1234567890abcdef&q=registered-secret-value-42',
          status: 200,
          durationMs: 12.6,
          form: { ...secretForm, headers: { ...secretForm.headers, 'X-Echo': 'registered-secret-value-42' } },
        },
        redactor,
      );
      const text = JSON.stringify(entry);
      for (const secret of ['tok-1234567890abcdef', 'hunter2', 'registered-secret-value-42', 'eyJhbGciOiJIUzI1NiJ9', 'sid=1', 'abc"']) {
        assert.ok(!text.includes(secret), `history holds ${secret}: ${text}`);
      }
      assert.deepEqual(entry.form.headers, { 'X-Request-Id': 'r1' });
      assert.deepEqual(entry.form.query, { pageSize: '10' });
      assert.equal(entry.form.path['accountId'], '48120000');
      assert.deepEqual(entry.dropped.sort(), ['body', 'cookie session', 'header Authorization', 'header Cookie', 'header X-Echo', 'header X-JWT', 'query access_token'].sort());
      assert.equal(entry.durationMs, 13);
    });

    it('API keys count as secrets everywhere: by usual spellings and by the spec\'s apiKey schemes', () => {
      for (const name of ['X-Api-Key', 'api_key', 'apikey', 'Ocp-Apim-Subscription-Key', 'X-JWT', 'authorization', 'access_token']) assert.ok(isSecretName(name), name);
      for (const name of ['city', 'pageSize', 'X-Request-Id', 'keyword']) assert.ok(!isSecretName(name), name);
      assert.ok(isSecretName('X-Partner-Token', ['x-partner-token']));
      assert.deepEqual(apiKeyNames({ securitySchemes: { k: { type: 'apiKey', name: 'X-Partner-Token', in: 'header' }, o: { type: 'oauth2' } } }), ['X-Partner-Token']);
      assert.equal(withoutSecretQuery('https://h/x?city=Oslo&api_key=abc123&k2=v'), 'https://h/x?city=Oslo&api_key=***&k2=v');
      const state = sanitizeForState(formWith({ headers: { 'X-Partner-Token': 'p', 'X-Api-Key': 'k', Accept: 'a' } }), ['X-Partner-Token']);
      assert.deepEqual(state.headers, { Accept: 'a' });
      const masked = maskSecretInputs({ method: 'GET', url: 'https://h/x?api_key=abc123&city=Oslo', headers: { 'X-Api-Key': 'k-123', Accept: 'a' } });
      assert.equal(masked.headers['X-Api-Key'], '<secret>');
      assert.equal(masked.headers['Accept'], 'a');
      assert.equal(new URL(masked.url).searchParams.get('api_key'), '<secret>');
      assert.equal(new URL(masked.url).searchParams.get('city'), 'Oslo');
      const entry = historyEntry({ id: '1', at: 1, method: 'GET', url: 'https://h/x?api_key=abc123', form: formWith({ query: { api_key: 'abc123' } }) }, new Redactor());
      assert.ok(!JSON.stringify(entry).includes('abc123'));
    });

    it('the history store keeps the newest entries per operation, up to the limit, and clears', async () => {
      const data = new Map<string, unknown>();
      const memento: MementoLike = {
        get: <T>(k: string) => data.get(k) as T | undefined,
        update: async (k, v) => {
          if (v === undefined) data.delete(k);
          else data.set(k, JSON.parse(JSON.stringify(v)));
        },
      };
      const changes: Array<string | undefined> = [];
      const store = new HistoryStore(memento, (k) => changes.push(k));
      const redactor = new Redactor();
      for (let i = 0; i < 5; i++) await store.add('a', historyEntry({ id: String(i), at: i, method: 'GET', url: 'http://x/', form: emptyForm() }, redactor), 3);
      await store.add('b', historyEntry({ id: 'b', at: 9, method: 'GET', url: 'http://x/', form: emptyForm() }, redactor), 3);
      assert.deepEqual(store.list('a').map((e) => e.id), ['4', '3', '2']);
      await store.add('a', historyEntry({ id: 'off', at: 10, method: 'GET', url: 'http://x/', form: emptyForm() }, redactor), 0);
      assert.equal(store.list('a').length, 3, 'maxEntries 0 keeps nothing new');
      assert.equal(await store.clear('a'), 3);
      assert.deepEqual(store.list('a'), []);
      assert.deepEqual(store.keys(), ['b']);
      assert.equal(await store.clear(), 1);
      assert.deepEqual(store.keys(), []);
      assert.deepEqual(changes.slice(-2), ['a', undefined]);
    });
  });
});
