/**
 * The host⇄webview protocol: everything the webview posts is checked before a handler sees it, and the
 * handler map dispatches each type to its own handler.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { dispatch, emptyForm, LIMITS, parsePanelState, parseToHost, type Handlers, type ToHost } from '../../src/protocol';

const form = { path: { accountId: '48120000' }, query: { pageSize: '10' }, headers: { 'X-Trace': 'a' }, cookies: {}, body: '', mediaType: '' };

describe('request panel protocol', () => {
  describe('parseToHost accepts every well-formed message', () => {
    const good: ToHost[] = [
      { type: 'ready' },
      { type: 'send', requestId: 'w-1', form },
      { type: 'cancel' },
      { type: 'copyCurl', requestId: 'w-2', form, withSecrets: false },
      { type: 'insertSnippet', form },
      { type: 'openInEditor' },
      { type: 'loadExample', requestId: 'w-3', mediaType: 'application/json' },
      { type: 'action', action: 'setCredentials' },
      { type: 'clearHistory' },
      { type: 'formCollected', requestId: 'h-4', form },
    ];
    for (const m of good) {
      it(m.type, () => {
        const parsed = parseToHost(JSON.parse(JSON.stringify(m)));
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
        assert.deepEqual(parsed.value, m);
      });
    }
  });

  describe('parseToHost rejects malformed messages', () => {
    const bad: Array<[string, unknown, RegExp]> = [
      ['not an object', 'ready', /expected an object/],
      ['null', null, /expected an object, got null/],
      ['an array', [{ type: 'ready' }], /an array/],
      ['no type', {}, /unknown type/],
      ['unknown type', { type: 'deleteEverything' }, /unknown type "deleteEverything"/],
      ['inherited property as type', { type: 'toString' }, /unknown type/],
      ['extra field', { type: 'ready', extra: 1 }, /unexpected field "extra"/],
      ['missing field', { type: 'send', requestId: 'w-1' }, /missing field form/],
      ['bad request id', { type: 'send', requestId: '1; rm -rf', form }, /not a request id/],
      ['number as request id', { type: 'send', requestId: 7, form }, /expected a string/],
      ['form value not a string', { type: 'send', requestId: 'w-1', form: { ...form, query: { pageSize: 10 } } }, /send\.form\.query\.pageSize: expected a string/],
      ['form location not an object', { type: 'send', requestId: 'w-1', form: { ...form, headers: [] } }, /an array/],
      ['body not a string', { type: 'send', requestId: 'w-1', form: { ...form, body: { a: 1 } } }, /body: expected a string/],
      ['withSecrets not boolean', { type: 'copyCurl', requestId: 'w-1', form, withSecrets: 'yes' }, /expected true or false/],
      ['unknown action', { type: 'action', action: 'runShell' }, /expected one of/],
      ['oversized value', { type: 'send', requestId: 'w-1', form: { ...form, query: { q: 'x'.repeat(LIMITS.maxValueChars + 1) } } }, /longer than/],
      [
        'too many fields',
        { type: 'send', requestId: 'w-1', form: { ...form, query: Object.fromEntries(Array.from({ length: LIMITS.maxFields + 1 }, (_, i) => [`q${i}`, 'v'])) } },
        /more than 500 entries/,
      ],
    ];
    for (const [name, raw, reason] of bad) {
      it(name, () => {
        const parsed = parseToHost(raw);
        assert.equal(parsed.ok, false);
        if (!parsed.ok) assert.match(parsed.error, reason);
      });
    }

    it('never echoes a value in its reason (it could be a secret)', () => {
      const secret = 'Bearer s3cr3t-token-value';
      const parsed = parseToHost({ type: 'send', requestId: 'w-1', form: { ...form, headers: { Authorization: 42 } }, note: secret });
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.ok(!parsed.error.includes('s3cr3t'), parsed.error);
    });

    it('keeps a __proto__ key as a plain field instead of changing the prototype', () => {
      const raw = JSON.parse('{"type":"send","requestId":"w-1","form":{"path":{},"query":{"__proto__":"x"},"headers":{},"cookies":{},"body":"","mediaType":""}}') as unknown;
      const parsed = parseToHost(raw);
      assert.ok(parsed.ok);
      if (parsed.ok && parsed.value.type === 'send') {
        assert.equal(Object.getPrototypeOf(parsed.value.form.query), Object.prototype);
        assert.equal(Object.getOwnPropertyDescriptor(parsed.value.form.query, '__proto__')?.value, 'x');
      }
    });

    it('rejects (never throws on) arbitrary input', () => {
      fc.assert(
        fc.property(fc.anything(), (raw) => {
          const parsed = parseToHost(raw);
          // Anything that passes must be a complete, well-typed message.
          if (parsed.ok) assert.ok(['ready', 'cancel', 'openInEditor', 'clearHistory'].includes(parsed.value.type) || Object.keys(parsed.value).length > 1);
        }),
        { numRuns: 500 },
      );
    });
  });

  it('parsePanelState checks what the serializer hands back', () => {
    assert.ok(parsePanelState({ apiId: 'a', operationId: '#/paths/~1x/get', form: emptyForm() }).ok);
    assert.equal(parsePanelState({ apiId: 'a', form: emptyForm() }).ok, false);
    assert.equal(parsePanelState({ apiId: 'a', operationId: 'o', form: { ...emptyForm(), body: 1 } }).ok, false);
    assert.equal(parsePanelState(undefined).ok, false);
  });

  it('dispatch calls the handler of the message type', async () => {
    const seen: string[] = [];
    const handlers: Handlers<ToHost> = {
      ready: () => void seen.push('ready'),
      send: (m) => void seen.push(`send ${m.requestId}`),
      cancel: () => void seen.push('cancel'),
      copyCurl: (m) => void seen.push(`copy ${String(m.withSecrets)}`),
      insertSnippet: () => void seen.push('snippet'),
      openInEditor: () => void seen.push('open'),
      loadExample: (m) => void seen.push(`example ${m.mediaType}`),
      action: (m) => void seen.push(`action ${m.action}`),
      clearHistory: () => void seen.push('clear'),
      formCollected: (m) => void seen.push(`form ${m.requestId}`),
    };
    await dispatch(handlers, { type: 'send', requestId: 'w-9', form });
    await dispatch(handlers, { type: 'copyCurl', requestId: 'w-10', form, withSecrets: true });
    await dispatch(handlers, { type: 'action', action: 'showLog' });
    assert.deepEqual(seen, ['send w-9', 'copy true', 'action showLog']);
  });
});
