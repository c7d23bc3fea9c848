/**
 * What a stored credential is, how it is keyed and serialised in SecretStorage, how each field is
 * validated, and how the "Set credentials" flow explains each kind. Pure (no `vscode`): unit-tested in
 * plain Node (test/unit/credentials.model.test.ts).
 */
import type {
  ClientCredentials,
  CredentialKind,
  CredentialSet,
  EnvironmentId,
  JwtCredentials,
  MachineUserCredentials,
} from '../../core/auth/types';
import { detectRegion } from '../../core/auth/region';
import type { ApiSummary } from '../../core/spec/types';

export type Region = 'se' | 'no';

export const ENVIRONMENT_IDS: readonly EnvironmentId[] = ['sandbox', 'test', 'production'];
export const REGIONS: readonly Region[] = ['se', 'no'];
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['client', 'machineUser', 'jwt'];

/** Which kinds exist in a region: Sweden has no machine user, Norway no X-JWT. */
export const KINDS_BY_REGION: Readonly<Record<Region, readonly CredentialKind[]>> = {
  se: ['client', 'jwt'],
  no: ['client', 'machineUser'],
};

export const REGION_LABELS: Readonly<Record<Region, string>> = { se: 'Sweden', no: 'Norway' };

/** One place in the store: an environment, a region and a kind. */
export interface CredentialSlot {
  environment: EnvironmentId;
  region: Region;
  kind: CredentialKind;
}

export type CredentialValue<K extends CredentialKind> = K extends 'client'
  ? ClientCredentials
  : K extends 'machineUser'
    ? MachineUserCredentials
    : JwtCredentials;

/** Bumped when the stored JSON changes shape; older values are read by `parseStored`, unknown ones ignored. */
export const STORAGE_VERSION = 1;
const KEY_PREFIX = 'telenor.credentials';

/**
 * The SecretStorage key of a slot. Namespaced and versioned so a later format can live next to this one,
 * and so `parseSecretKey` can tell our keys from anything else the extension might store.
 */
export function secretKey(slot: CredentialSlot): string {
  return `${KEY_PREFIX}/v${STORAGE_VERSION}/${slot.environment}/${slot.region}/${slot.kind}`;
}

export function parseSecretKey(key: string): CredentialSlot | undefined {
  const m = /^telenor\.credentials\/v(\d+)\/([a-z]+)\/([a-z]+)\/([A-Za-z]+)$/.exec(key);
  if (!m || Number(m[1]) !== STORAGE_VERSION) return undefined;
  const [environment, region, kind] = [m[2], m[3], m[4]];
  if (!isEnvironment(environment) || !isRegion(region) || !isKind(kind)) return undefined;
  if (!KINDS_BY_REGION[region].includes(kind)) return undefined;
  return { environment, region, kind };
}

/** Every slot that can hold something: 3 environments × (2 + 2) kinds. */
export function allSlots(): CredentialSlot[] {
  return ENVIRONMENT_IDS.flatMap((environment) =>
    REGIONS.flatMap((region) => KINDS_BY_REGION[region].map((kind) => ({ environment, region, kind }))),
  );
}

/** The region a kind belongs to when only one has it (field names are the same in both regions). */
function defaultRegion(kind: CredentialKind): Region {
  return kind === 'jwt' ? 'se' : 'no';
}

export function isEnvironment(v: unknown): v is EnvironmentId {
  return typeof v === 'string' && (ENVIRONMENT_IDS as readonly string[]).includes(v);
}

export function isRegion(v: unknown): v is Region {
  return v === 'se' || v === 'no';
}

export function isKind(v: unknown): v is CredentialKind {
  return typeof v === 'string' && (CREDENTIAL_KINDS as readonly string[]).includes(v);
}

// ------------------------------------------------------------------------------------------------ fields

export interface FieldInfo {
  /** Property name in the stored value. */
  name: string;
  /** What the input box asks for. */
  label: string;
  /** Shown under the input box. */
  prompt: string;
  placeholder: string;
  /** Secret: typed into a password box, registered with the Redactor as a password, never prefilled. */
  secret: boolean;
}

export interface KindInfo {
  /** Short name for menus and messages. */
  label: string;
  /** One line: what it is for. */
  description: string;
  /** Where to find it and what it looks like, in the wording of Telenor's pages. */
  detail: string;
  fields: readonly FieldInfo[];
}

/**
 * How each kind is presented per region. The details follow Telenor's own pages (seeds 000–004): where a
 * person finds each value and what it looks like, so the flow answers "which of my many passwords is this?".
 */
export function kindInfo(kind: CredentialKind, region: Region): KindInfo {
  switch (kind) {
    case 'client':
      return region === 'se'
        ? {
            label: 'Consumer key and secret',
            description: 'OAuth2 client credentials for Telenor Open APIs',
            // Quick pick details are one line: the part that tells the person where to look comes first.
            detail: 'Comes with your agreement; test and production each have their own.',
            fields: [
              { name: 'clientId', label: 'Consumer key', prompt: 'The consumer key from your Telenor agreement.', placeholder: 'Consumer key', secret: false },
              { name: 'clientSecret', label: 'Consumer secret', prompt: 'The consumer secret that belongs to the key. Stored in SecretStorage only.', placeholder: 'Consumer secret', secret: true },
            ],
          }
        : {
            label: 'Client id and secret',
            description: 'Your app’s OAuth client (every Norway grant uses it)',
            detail: 'Under your apps in your dashboard (client_id and client_secret).',
            fields: [
              { name: 'clientId', label: 'Client id', prompt: 'client_id, under your apps in your dashboard (e.g. xhdrs6uleK1xyZBOvX37PJ5wALcv1O9).', placeholder: 'client_id', secret: false },
              { name: 'clientSecret', label: 'Client secret', prompt: 'client_secret, under your apps in your dashboard. Stored in SecretStorage only.', placeholder: 'client_secret', secret: true },
            ],
          };
    case 'machineUser':
      return {
        label: 'Machine user (password grant)',
        description: 'Min Bedrift machine user for B2B admin APIs',
        detail: 'Min Bedrift machine user, looks like api7813371375 (Min Bedrift → APIs).',
        fields: [
          { name: 'username', label: 'Machine user', prompt: 'The machine user’s username from Min Bedrift (looks like api7813371375).', placeholder: 'api7813371375', secret: false },
          { name: 'password', label: 'Machine user password', prompt: 'Generated in Min Bedrift and sent to a mobile; ask your administrator if you have no admin rights. Stored in SecretStorage only.', placeholder: 'Password', secret: true },
        ],
      };
    case 'jwt':
      return {
        label: 'X-JWT credentials (Communication APIs)',
        description: 'clientId, userId and password for hasPermission',
        detail: 'For the X-JWT of Communication APIs (hasPermission); userId is a number.',
        fields: [
          { name: 'clientId', label: 'JWT clientId', prompt: 'The clientId for hasPermission, from Telenor.', placeholder: 'clientId', secret: false },
          { name: 'userId', label: 'JWT userId', prompt: 'The numeric userId for hasPermission (digits only, e.g. 1234567).', placeholder: '1234567', secret: false },
          { name: 'password', label: 'JWT password', prompt: 'The password for hasPermission. Stored in SecretStorage only.', placeholder: 'Password', secret: true },
        ],
      };
  }
}

export interface FieldProblem {
  message: string;
  /** `warning` lets the person continue (an unusual but possible value); `error` does not. */
  severity: 'error' | 'warning';
}

/** What is wrong with a typed value, if anything. The value is checked as it will be stored: trimmed. */
export function checkField(kind: CredentialKind, field: string, raw: string, region: Region = defaultRegion(kind)): FieldProblem | undefined {
  const value = raw.trim();
  const info = kindInfo(kind, region).fields.find((f) => f.name === field);
  const label = info?.label ?? field;
  if (value === '') return { severity: 'error', message: `${label} cannot be empty.` };
  if (/[\r\n]/.test(value)) return { severity: 'error', message: `${label} must be one line.` };
  if (kind === 'jwt' && field === 'userId' && !/^\d+$/.test(value)) {
    return { severity: 'error', message: 'userId is a number: digits only (e.g. 1234567).' };
  }
  if (kind === 'machineUser' && field === 'username' && !/^api\d+$/i.test(value)) {
    return {
      severity: 'warning',
      message: 'Machine users usually look like api7813371375. Your personal Min Bedrift or Connectid login will not work here.',
    };
  }
  if (info && !info.secret && /\s/.test(value)) return { severity: 'warning', message: `${label} contains a space; check it was copied completely.` };
  return undefined;
}

/**
 * A complete, trimmed value of `kind` from loose input (command arguments, the quick input's answers),
 * or the first problem. Warnings do not block.
 */
export function buildValue<K extends CredentialKind>(
  kind: K,
  input: Readonly<Record<string, unknown>>,
): { value: CredentialValue<K> } | { problem: string } {
  const out: Record<string, string> = {};
  for (const field of kindInfo(kind, defaultRegion(kind)).fields) {
    const raw = input[field.name];
    const text = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : typeof raw === 'string' ? raw : '';
    const problem = checkField(kind, field.name, text);
    if (problem?.severity === 'error') return { problem: problem.message };
    out[field.name] = text.trim();
  }
  return { value: out as unknown as CredentialValue<K> };
}

// ----------------------------------------------------------------------------------------- storage format

/** The JSON stored under a slot's key: the fields plus a version, so the format can evolve. */
export function serialize(kind: CredentialKind, value: ClientCredentials | MachineUserCredentials | JwtCredentials): string {
  const source = value as unknown as Record<string, unknown>;
  const fields: Record<string, string | number> = { v: STORAGE_VERSION };
  for (const f of kindInfo(kind, defaultRegion(kind)).fields) fields[f.name] = String(source[f.name] ?? '');
  return JSON.stringify(fields);
}

/** The value stored under a slot, or undefined when absent, unreadable or of an unknown version. Never throws. */
export function parseStored<K extends CredentialKind>(kind: K, text: string | undefined): CredentialValue<K> | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if (o['v'] !== STORAGE_VERSION) return undefined;
  const built = buildValue(kind, o);
  return 'value' in built ? built.value : undefined;
}

/** Put one kind's value into a set. */
export function withValue(set: CredentialSet, kind: CredentialKind, value: unknown): CredentialSet {
  switch (kind) {
    case 'client':
      return { ...set, client: value as ClientCredentials };
    case 'machineUser':
      return { ...set, machineUser: value as MachineUserCredentials };
    case 'jwt':
      return { ...set, jwt: value as JwtCredentials };
  }
}

/** The values of a stored credential that are secrets (registered with the Redactor as passwords). */
export function secretValues(kind: CredentialKind, value: ClientCredentials | MachineUserCredentials | JwtCredentials): string[] {
  switch (kind) {
    case 'client': {
      const c = value as ClientCredentials;
      // The Basic header is base64(id:secret): mask that spelling too, wherever it turns up.
      return [c.clientSecret, Buffer.from(`${c.clientId}:${c.clientSecret}`, 'utf8').toString('base64')];
    }
    case 'machineUser':
      return [(value as MachineUserCredentials).password];
    case 'jwt':
      return [(value as JwtCredentials).password];
  }
}

// ------------------------------------------------------------------------------------------ regions, demo

/**
 * Sweden or Norway for an API, from what the spec says (without loading the engine): `x-telenor.region`
 * or its grant name, an X-JWT header scheme, a token URL path, a server's country domain. Used to
 * preselect the region in the "Set credentials" flow; a wrong guess only changes a default.
 */
export function guessRegion(api: ApiSummary, override?: { region?: unknown; grant?: unknown }): Region | undefined {
  // The override may name only a grant (`no-password`): its prefix is the region.
  const grantPrefix = typeof override?.grant === 'string' ? /^\s*(se|no)[-_ ]/i.exec(override.grant)?.[1] : undefined;
  return detectRegion(api, override?.region ?? grantPrefix)?.region;
}

/** The four sets the sandbox hands out for its demo apps (docs/sandbox.md), as slots to store. */
export function demoSlots(demo: unknown): Array<{ slot: CredentialSlot; value: ClientCredentials | MachineUserCredentials | JwtCredentials }> | undefined {
  const o = demo as
    | {
        se?: { clientId?: unknown; clientSecret?: unknown; jwt?: Record<string, unknown> };
        no?: { clientId?: unknown; clientSecret?: unknown; machineUser?: Record<string, unknown> };
      }
    | undefined;
  if (typeof o !== 'object' || o === null || !o.se || !o.no) return undefined;
  const entries: Array<[Region, CredentialKind, Record<string, unknown> | undefined]> = [
    ['se', 'client', { clientId: o.se.clientId, clientSecret: o.se.clientSecret }],
    ['se', 'jwt', o.se.jwt],
    ['no', 'client', { clientId: o.no.clientId, clientSecret: o.no.clientSecret }],
    ['no', 'machineUser', o.no.machineUser],
  ];
  const out: Array<{ slot: CredentialSlot; value: ClientCredentials | MachineUserCredentials | JwtCredentials }> = [];
  for (const [region, kind, input] of entries) {
    if (!input) return undefined;
    const built = buildValue(kind, input);
    if (!('value' in built)) return undefined;
    out.push({ slot: { environment: 'sandbox', region, kind }, value: built.value });
  }
  return out;
}
