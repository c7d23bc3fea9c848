// What the hover says (auth line, parameters, links) and which Telenor docs page an API maps to.
import * as assert from 'node:assert/strict';
import type { ApiSummary } from '../../src/core/spec/types';
import { describeAuth } from '../../src/extension/shared/authSummary';
import { docsFor, PORTALS, regionOf } from '../../src/extension/hover/docs';
import { escapeMarkdown, renderHover, type HoverContext } from '../../src/extension/hover/hoverContent';
import { OperationIndex } from '../../src/extension/hover/operationIndex';
import { normalizeUrlish } from '../../src/extension/hover/urlToken';
import { builtinApis } from './builtinApis';

/** The JSON argument of each `command:` link in the Markdown, by command id. */
function links(markdown: string): Array<{ label: string; command: string; args: Record<string, unknown> }> {
  const out: Array<{ label: string; command: string; args: Record<string, unknown> }> = [];
  for (const m of markdown.matchAll(/\[([^\]]+)\]\(command:([\w.]+)\?([^ )]+)/g)) {
    const args = JSON.parse(decodeURIComponent(m[3] as string)) as unknown[];
    out.push({ label: m[1] as string, command: m[2] as string, args: args[0] as Record<string, unknown> });
  }
  return out;
}

describe('hover content', function () {
  this.timeout(30_000);
  const apis = builtinApis();
  let index: OperationIndex;

  before(() => {
    index = new OperationIndex([...apis.values()]);
  });

  const ctx = (over: Partial<HoverContext> = {}): HoverContext => ({
    uri: 'file:///w/app/client.ts',
    insertAt: { line: 8, character: 0 },
    query: {},
    allowInsert: true,
    hasDocs: (api, op) => docsFor(api, op).open !== undefined,
    ...over,
  });

  function hover(url: string, over: Partial<HoverContext> = {}): string {
    const c = normalizeUrlish(url, index.knownHosts);
    assert.ok(c);
    return renderHover(index.find(c), ctx({ query: c.query, ...over }));
  }

  it('names the operation, API and version, parameters and auth (Norway password grant with scope)', () => {
    const md = hover('https://api.telenor.no/corporate-accounts/v2/accounts/48120000');
    assert.match(md, /^\*\*GET\*\* `\/corporate-accounts\/v2\/accounts\/\{accountId\}`/);
    assert.match(md, /Mobile Subscription Info API 2\\\.0\\\.0/);
    assert.match(md, /- `accountId` · path · string · \*\*required\*\*/);
    assert.match(md, /\*\*Auth:\*\* Norway · machine user \(password grant\) · scope `accounts`/);
  });

  it('links Insert snippet (with the document, position and hovered values), Copy curl, Open request panel and docs', () => {
    const md = hover('https://api.telenor.no/corporate-accounts/v2/accounts/48120000?page=2');
    const found = links(md);
    assert.deepEqual(found.map((l) => l.command), ['telenor.insertSnippet', 'telenor.copyAsCurl', 'telenor.openRequest', 'telenor.openDocs']);
    const api = apis.get('Mobile Subscription Info API');
    const insert = found[0]?.args;
    assert.equal(insert?.['apiId'], api?.id);
    assert.equal(insert?.['operationId'], '#/paths/~1corporate-accounts~1v2~1accounts~1{accountId}/get');
    assert.deepEqual(insert?.['values'], { path: { accountId: '48120000' }, query: { page: '2' } });
    assert.equal(insert?.['uri'], 'file:///w/app/client.ts');
    assert.deepEqual(insert?.['position'], { line: 8, character: 0 });
    assert.deepEqual(found[1]?.args, { apiId: api?.id, operationId: insert?.['operationId'], values: { path: { accountId: '48120000' }, query: { page: '2' } } });
  });

  it('passes no path values for a URL whose values are computed at run time', () => {
    const [insert] = links(hover('/corporate-accounts/v2/accounts/${id}'));
    assert.equal(insert?.args['values'], undefined);
  });

  it('leaves Insert snippet out in spec files', () => {
    const found = links(hover('/telenor-stores/v1/stores/{storeId}', { allowInsert: false }));
    assert.deepEqual(found.map((l) => l.command), ['telenor.copyAsCurl', 'telenor.openRequest', 'telenor.openDocs']);
  });

  it('describes Sweden client credentials with X-JWT for the API’s service', () => {
    const api = apis.get('Mobile Subscriptions Administration API');
    assert.ok(api);
    const op = Object.values(api.operations)[0];
    assert.ok(op);
    assert.equal(describeAuth(api, op), 'Sweden · client credentials (consumer key and secret) · X-JWT for the service “Mobile Subscriptions Administration API” · scope `openapi`');
  });

  it('describes auth from securitySchemes alone when there is no x-telenor, and says when there is none', () => {
    const api = {
      title: 'Other',
      extensions: {},
      servers: [],
      securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' }, oauth: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: '/a', tokenUrl: '/t', scopes: {} } } } },
    } as unknown as ApiSummary;
    const op = { security: [{ oauth: ['read'], key: [] }] } as never;
    assert.equal(describeAuth(api, op), 'OAuth 2.0 authorization code + API key in header `X-Api-Key` · scope `read`');
    assert.equal(describeAuth(api, { security: [] } as never), 'No auth declared');
  });

  it('escapes Markdown in text that comes from specs', () => {
    assert.equal(escapeMarkdown('a *b* [c](command:x) <img>'), 'a \\*b\\* \\[c\\]\\(command:x\\) \\<img\\>');
  });

  it('caps the list at three operations and counts the rest', () => {
    const many = Array.from({ length: 5 }, () => index.find({ target: '/telenor-stores/v1/stores' })[0]).filter((h) => h !== undefined);
    const md = renderHover(many, ctx());
    assert.equal(md.match(/^\*\*GET\*\* /gm)?.length, 3);
    assert.match(md, /…and 2 more matching operations\./);
  });
});

describe('Telenor docs pages', function () {
  this.timeout(30_000);
  const apis = builtinApis();

  it('opens the reference page of the operation’s resource for Mobile Subscription Info API', () => {
    const api = apis.get('Mobile Subscription Info API');
    assert.equal(docsFor(api, { path: '/corporate-accounts/v2/accounts/{accountId}' }).open?.url, 'https://developer.telenor.no/api/administration/mobilesubscriptioninfoapi/docs/ref/corporate-accounts.html');
    assert.equal(docsFor(api, { path: '/organizations/v1/organizations' }).open?.url, 'https://developer.telenor.no/api/administration/mobilesubscriptioninfoapi/docs/ref/organizations.html');
    // Without an operation there are several pages: the person picks one.
    const answer = docsFor(api);
    assert.equal(answer.open, undefined);
    assert.ok(answer.choices.length >= 4);
  });

  it('opens the product page for Stores and Device Info, the Sweden portal for Sweden APIs', () => {
    assert.match(docsFor(apis.get('Telenor Stores API')).open?.url ?? '', /^https:\/\/developer\.telenor\.no\/api\/administration\/telenorstoresapi\//);
    assert.match(docsFor(apis.get('Mobile Device Info API')).open?.url ?? '', /^https:\/\/developer\.telenor\.no\/api\/identity\/mobiledeviceinfoapi\//);
    assert.equal(docsFor(apis.get('Fixed Network Product Catalog API')).open, PORTALS.se);
    assert.equal(docsFor(apis.get('Mobile Subscriptions Administration API')).open, PORTALS.se);
  });

  it('falls back to the region’s portal for an unknown Norway API, and asks when the region is unknown', () => {
    const norway = { title: 'Some New API', extensions: {}, securitySchemes: {}, servers: [{ url: 'https://api.telenor.no' }] } as unknown as ApiSummary;
    assert.equal(regionOf(norway), 'no');
    assert.equal(docsFor(norway).open, PORTALS.no);
    const unknown = { title: 'Petstore', extensions: {}, securitySchemes: {}, servers: [{ url: 'https://petstore.example.com' }] } as unknown as ApiSummary;
    assert.equal(docsFor(unknown).open, undefined);
    assert.deepEqual(docsFor(unknown).choices, [PORTALS.no, PORTALS.se]);
    assert.deepEqual(docsFor(undefined).choices, [PORTALS.no, PORTALS.se]);
  });

  it('reads the region from a token URL when nothing else says it', () => {
    const se = { title: 'X', extensions: {}, servers: [], securitySchemes: { o: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/openapi/oauth2/token', scopes: {} } } } } } as unknown as ApiSummary;
    const no = { title: 'Y', extensions: {}, servers: [], securitySchemes: { o: { type: 'oauth2', flows: { password: { tokenUrl: 'https://x/oauth/v2/token', scopes: {} } } } } } as unknown as ApiSummary;
    assert.equal(regionOf(se), 'se');
    assert.equal(regionOf(no), 'no');
  });
});
