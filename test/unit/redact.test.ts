import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { maskToken, Redactor } from '../../src/core/util/redact';

const TOKEN = 'iLsXI22AbszY1J3cA7lYusO0PAbG';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3IiwiZXhwIjoxNzE2MjM5MDIyfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('util/redact: Redactor', () => {
  describe('registered secrets', () => {
    it('masks a registered token anywhere, keeping 4 characters', () => {
      const r = new Redactor();
      r.register(TOKEN);
      assert.equal(r.redact(`token=${TOKEN}; again:${TOKEN}!`), 'token=iLsX…; again:iLsX…!');
    });

    it('masks a registered password completely', () => {
      const r = new Redactor();
      r.register('sandbox-machine-password', 'password');
      assert.equal(r.redact('login with sandbox-machine-password now'), 'login with *** now');
    });

    it('masks the URL-, form- and JSON-escaped spellings too', () => {
      const r = new Redactor();
      const secret = 'p@ss word&"quoted"/ø';
      r.register(secret, 'password');
      const spellings = [encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1)];
      for (const s of spellings) {
        const out = r.redact(`before ${s} after`);
        assert.equal(out, 'before *** after', s);
      }
    });

    it('stops masking when the last owner lets go', () => {
      const r = new Redactor();
      const a = r.register(TOKEN);
      const b = r.register(TOKEN);
      a.dispose();
      a.dispose();
      assert.equal(r.redact(TOKEN), 'iLsX…');
      b.dispose();
      assert.equal(r.registeredCount, 0);
      assert.equal(r.redact(`x ${TOKEN}`), `x ${TOKEN}`);
    });

    it('a value once registered as a password never shows a prefix', () => {
      const r = new Redactor();
      r.register('client-secret-value-123', 'token');
      r.register('client-secret-value-123', 'password');
      assert.equal(r.redact('client-secret-value-123'), '***');
    });

    it('masks the longer of two overlapping secrets whole', () => {
      const r = new Redactor();
      r.register('abcdefgh', 'password');
      r.register('abcdefgh-and-more-0123', 'token');
      assert.equal(r.redact('abcdefgh-and-more-0123'), 'abcd…');
    });

    it('ignores very short values (by value) but still masks by shape', () => {
      const r = new Redactor();
      r.register('ab', 'password');
      assert.equal(r.redact('ab cab'), 'ab cab');
      assert.equal(r.redact('password=ab'), 'password=***');
    });

    it('has no false negatives for registered secrets (property)', () => {
      const secretChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~+/=-&% "\\:@ø'.split(''));
      fc.assert(
        fc.property(
          fc.array(secretChar, { minLength: 4, maxLength: 60 }).map((a) => a.join('')),
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 40 }),
          fc.constantFrom<'token' | 'password'>('token', 'password'),
          fc.constantFrom('raw', 'uri', 'json', 'header', 'query', 'jsonfield'),
          (secret, before, after, kind, form) => {
            const r = new Redactor();
            r.register(secret, kind);
            const placed =
              form === 'uri'
                ? encodeURIComponent(secret)
                : form === 'json'
                  ? JSON.stringify(secret).slice(1, -1)
                  : form === 'header'
                    ? `Authorization: Bearer ${secret}`
                    : form === 'query'
                      ? `?access_token=${encodeURIComponent(secret)}`
                      : form === 'jsonfield'
                        ? JSON.stringify({ refresh_token: secret })
                        : secret;
            const out = r.redact(before + placed + after);
            const spelled = form === 'uri' || form === 'query' ? encodeURIComponent(secret) : form === 'json' || form === 'jsonfield' ? JSON.stringify(secret).slice(1, -1) : secret;
            return !out.includes(spelled) && !r.containsSecret(out);
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('by shape', () => {
    const r = new Redactor();

    it('header values keep the scheme', () => {
      assert.equal(r.redact(`Authorization: Bearer ${TOKEN}`), 'Authorization: Bearer iLsX…');
      assert.equal(r.redact('authorization: Basic c2FuZGJveC1zZS1rZXk6c2FuZGJveC1zZS1zZWNyZXQ='), 'authorization: Basic ***');
      assert.equal(r.redact('Proxy-Authorization: Basic dXNlcjpwYXNz'), 'Proxy-Authorization: Basic ***');
      assert.equal(r.redact(`X-JWT: ${JWT}`), 'X-JWT: eyJh…');
      assert.equal(r.redact('Cookie: session=abc123; theme=dark'), 'Cookie: ***');
      assert.equal(r.redact('Authorization: Bearer short'), 'Authorization: Bearer ***');
    });

    it('header values inside JSON, object literals and curl commands', () => {
      assert.equal(r.redact(`{"Authorization":"Bearer ${TOKEN}","Accept":"application/json"}`), '{"Authorization":"Bearer iLsX…","Accept":"application/json"}');
      assert.equal(r.redact(`{ authorization: 'Bearer ${TOKEN}', 'x-jwt': '${JWT}' }`), "{ authorization: 'Bearer iLsX…', 'x-jwt': 'eyJh…' }");
      assert.equal(r.redact(`curl -H 'Authorization: Bearer ${TOKEN}' https://x`), "curl -H 'Authorization: Bearer iLsX…' https://x");
    });

    it('URL query parameters', () => {
      const url = `http://127.0.0.1:5000/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj7zz&other=1`;
      assert.equal(r.redact(url), 'http://127.0.0.1:5000/cb?code=Splx…&state=af0i…&other=1');
      assert.equal(r.redact(`GET /x?access_token=${TOKEN}#refresh_token=${TOKEN}`), 'GET /x?access_token=iLsX…#refresh_token=iLsX…');
      assert.equal(r.redact('https://x/y?client_secret=abc&password=hunter2&token=zzzzzzzzzzzzzzzz'), 'https://x/y?client_secret=***&password=***&token=zzzz…');
    });

    it('form bodies, leaving grant_type=password and usernames alone', () => {
      assert.equal(
        r.redact('grant_type=password&username=api7813371375&password=sandbox-machine-password&scope=openapi'),
        'grant_type=password&username=api7813371375&password=***&scope=openapi',
      );
      assert.equal(r.redact(`grant_type=refresh_token&refresh_token=${TOKEN}`), 'grant_type=refresh_token&refresh_token=iLsX…');
      assert.equal(r.redact('grant_type=authorization_code&code=abcdefghijklmnop'), 'grant_type=authorization_code&code=abcd…');
    });

    it('JSON fields', () => {
      const body = JSON.stringify({ access_token: TOKEN, expires_in: '3600', token_type: 'Bearer', refresh_token: '9XXQ3tOnMY3BRo0QyVFJUiN' });
      assert.equal(r.redact(body), '{"access_token":"iLsX…","expires_in":"3600","token_type":"Bearer","refresh_token":"9XXQ…"}');
      assert.equal(r.redact('{"clientId":"sandbox-jwt-client","userId":1234567,"password":"p\\"w"}'), '{"clientId":"sandbox-jwt-client","userId":1234567,"password":"***"}');
      assert.equal(r.redact('{"client_secret": "Glz2FV5XYOvAhFCE"}'), '{"client_secret": "***"}');
      assert.equal(r.redact(`{"token": "${JWT}"}`), '{"token": "eyJh…"}');
      assert.equal(r.redact("{ password: 'hunter22' }"), "{ password: '***' }");
    });

    it('keeps error codes readable', () => {
      const camara = '{"status":401,"code":"UNAUTHENTICATED","message":"Request not authenticated"}';
      assert.equal(r.redact(camara), camara);
      assert.equal(r.redact('{"code":"40106"}'), '{"code":"40106"}');
      assert.equal(r.redact('{"errorCode":40106,"code":40106}'), '{"errorCode":40106,"code":40106}');
      assert.equal(r.redact('error_code=40106'), 'error_code=40106');
    });

    it('JWT-looking strings anywhere, and URL user-info', () => {
      assert.equal(r.redact(`the jwt is ${JWT}.`), 'the jwt is eyJh….');
      assert.equal(r.redact('proxy http://corp-user:s3cret@proxy.local:8080'), 'proxy http://corp-user:***@proxy.local:8080');
    });

    it('is idempotent and leaves placeholders alone', () => {
      const once = r.redact(`Authorization: Bearer ${TOKEN}\n{"password":"x1234"}`);
      assert.equal(r.redact(once), once);
      assert.equal(r.redact('Authorization: Bearer <access_token>'), 'Authorization: Bearer <access_token>');
      assert.equal(r.redact('{"password":"$TELENOR_PASSWORD"}'), '{"password":"$TELENOR_PASSWORD"}');
    });

    it('leaves ordinary text alone', () => {
      const text = 'GET https://api.telenor.no/corporate-mobile-subscriptions/v2/mobile-subscriptions?page=2&pageSize=100 → 200 (35 ms)';
      assert.equal(r.redact(text), text);
      assert.equal(r.redact('Missing or bad Authorization header'), 'Missing or bad Authorization header');
    });

    it('redactHeaders masks credential headers and redacts the rest', () => {
      const red = new Redactor();
      red.register('sandbox-se-secret', 'password');
      assert.deepEqual(
        red.redactHeaders({ Authorization: `Bearer ${TOKEN}`, 'X-JWT': JWT, Cookie: 'a=b', 'X-Note': 'uses sandbox-se-secret', Accept: 'application/json' }),
        { Authorization: 'Bearer iLsX…', 'X-JWT': 'eyJh…', Cookie: '***', 'X-Note': 'uses ***', Accept: 'application/json' },
      );
    });

    it('maskToken hides short values entirely', () => {
      assert.equal(maskToken('12345678901'), '***');
      assert.equal(maskToken('123456789012'), '1234…');
    });
  });

  it('is fast enough for every log line', () => {
    const r = new Redactor();
    for (let i = 0; i < 20; i++) r.register(`secret-value-number-${i}-${'x'.repeat(20)}`, i % 2 === 0 ? 'token' : 'password');
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      lines.push(
        i % 10 === 0
          ? `POST https://api.telenor.no/oauth/v2/token grant_type=password&username=api7813371375&password=secret-value-number-3-${'x'.repeat(20)}`
          : `GET https://api.telenor.no/corporate-accounts/v2/accounts?page=${i} → 200 (${i % 97} ms) content-type: application/json`,
      );
    }
    const t0 = performance.now();
    let out = 0;
    for (const line of lines) out += r.redact(line).length;
    const ms = performance.now() - t0;
    assert.ok(out > 0);
    assert.ok(ms < 1000, `10,000 lines took ${ms.toFixed(0)} ms`);
  });
});
