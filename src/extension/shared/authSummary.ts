/**
 * What auth an operation needs, read from the spec alone (`x-telenor` and `securitySchemes`): a one-line
 * summary for the hover and the tree, and the placeholder auth headers for snippets. Pure and cheap on purpose — the
 * full profile resolution lives in the lazily loaded engine, and a hover must not load it.
 */
import type { Headers } from '../../core/http/types';
import type { ApiSummary, OperationInfo, SecuritySchemeInfo } from '../../core/spec/types';
import { detectRegion } from '../../core/auth/region';

/** Wording kept in step with the auth feature's grant labels. */
const GRANT_LABELS: Readonly<Record<string, string>> = {
  'se-client-credentials': 'Sweden · client credentials (consumer key and secret)',
  'no-client-credentials': 'Norway · client credentials',
  'no-password': 'Norway · machine user (password grant)',
  'no-authorization-code': 'Norway · sign-in with consent (authorization code)',
};

const FLOW_LABELS: Readonly<Record<string, string>> = {
  clientCredentials: 'client credentials',
  password: 'password',
  authorizationCode: 'authorization code',
  implicit: 'implicit',
};

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The document's `x-telenor` (or older `x-telenor-auth`) object. */
function telenorExtension(api: ApiSummary): Record<string, unknown> | undefined {
  return record(api.extensions['x-telenor']) ?? record(api.extensions['x-telenor-auth']);
}

/** `se-client-credentials`, `no-password`… from `x-telenor.grant` (+ the API's region), in any of the usual spellings. */
export function telenorGrant(api: ApiSummary): string | undefined {
  const ext = telenorExtension(api);
  const grant = typeof ext?.['grant'] === 'string' ? ext['grant'].toLowerCase().replace(/[^a-z]/g, '') : '';
  if (grant === '') return undefined;
  const rest = grant.replace(/^(se|no)/, '');
  const kind = rest === 'clientcredentials' ? 'client-credentials' : rest === 'password' ? 'password' : rest === 'authorizationcode' || rest === 'code' ? 'authorization-code' : undefined;
  const region = detectRegion(api)?.region;
  if (kind === undefined || region === undefined) return undefined;
  const id = `${region}-${kind}`;
  return GRANT_LABELS[id] === undefined ? undefined : id;
}

interface UsedScheme {
  name: string;
  scheme: SecuritySchemeInfo;
  scopes: string[];
}

/** The schemes of the operation's first security alternative (the one a client would use). */
function usedSchemes(api: ApiSummary, op: OperationInfo): UsedScheme[] {
  const first = op.security[0];
  if (first === undefined) return [];
  const out: UsedScheme[] = [];
  for (const [name, scopes] of Object.entries(first)) {
    const scheme = api.securitySchemes[name];
    if (scheme) out.push({ name, scheme, scopes });
  }
  return out;
}

function isXJwt(s: SecuritySchemeInfo): boolean {
  return s.type === 'apiKey' && s.in === 'header' && s.name?.toLowerCase() === 'x-jwt';
}

function schemeLabel(s: SecuritySchemeInfo): string {
  switch (s.type) {
    case 'oauth2': {
      const flows = Object.keys(s.flows ?? {}).map((f) => FLOW_LABELS[f] ?? f);
      return flows.length > 0 ? `OAuth 2.0 ${flows.join(' or ')}` : 'OAuth 2.0';
    }
    case 'openIdConnect':
      return 'OpenID Connect';
    case 'apiKey':
      return `API key in ${s.in ?? 'header'} \`${s.name ?? '?'}\``;
    case 'http':
    case 'basic':
      return (s.scheme ?? 'basic').toLowerCase() === 'bearer' ? 'Bearer token' : 'HTTP Basic';
    default:
      return s.type;
  }
}

/**
 * One line such as `Norway · machine user (password grant) · scope subscriptions`, or `No auth` when the
 * operation declares none. Markdown (scope names in code spans).
 */
export function describeAuth(api: ApiSummary, op: OperationInfo): string {
  if (op.security.length === 0) return 'No auth declared';
  const used = usedSchemes(api, op);
  const grant = telenorGrant(api);
  const parts: string[] = [];
  if (grant !== undefined) parts.push(GRANT_LABELS[grant] as string);
  else {
    const labels = used.filter((u) => !isXJwt(u.scheme)).map((u) => schemeLabel(u.scheme));
    parts.push(labels.length > 0 ? labels.join(' + ') : 'Declared, but its scheme is not in the spec');
  }
  if (used.some((u) => isXJwt(u.scheme))) {
    const ext = telenorExtension(api);
    const service = typeof ext?.['service'] === 'string' && ext['service'].trim() !== '' ? ext['service'].trim() : api.title;
    parts.push(`X-JWT for the service “${service}”`);
  }
  const scopes = [...new Set(used.flatMap((u) => u.scopes))];
  if (scopes.length > 0) parts.push(`${scopes.length === 1 ? 'scope' : 'scopes'} ${scopes.map((s) => `\`${s}\``).join(', ')}`);
  return parts.join(' · ');
}

export interface AuthPlaceholders {
  headers: Headers;
  query: Record<string, string>;
}

/**
 * Auth for a snippet, as placeholders only (`Bearer <access_token>`, `<jwt>`): a snippet shows how to
 * authenticate without ever holding a secret, so no token is fetched for it.
 */
export function authPlaceholders(api: ApiSummary, op: OperationInfo): AuthPlaceholders {
  const headers: Headers = {};
  const query: Record<string, string> = {};
  for (const { scheme } of usedSchemes(api, op)) {
    if (isXJwt(scheme)) headers['X-JWT'] = '<jwt>';
    else if (scheme.type === 'apiKey' && scheme.name !== undefined) {
      if (scheme.in === 'query') query[scheme.name] = '<secret>';
      else if (scheme.in !== 'cookie') headers[scheme.name] = '<secret>';
    } else if ((scheme.type === 'http' || scheme.type === 'basic') && (scheme.scheme ?? 'basic').toLowerCase() === 'basic') {
      headers['Authorization'] = 'Basic <basic_credentials>';
    } else if (scheme.type !== 'mutualTLS') {
      headers['Authorization'] = 'Bearer <access_token>';
    }
  }
  return { headers, query };
}
