// The sandbox's registered apps and users. The values are the documented demo credentials of
// docs/sandbox.md (public on purpose, never real secrets); the extra "fault" clients exist only so every
// token-endpoint error code has an input that produces it.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { NorwayGrant } from './store';

export interface DemoCredentials {
  se: { clientId: string; clientSecret: string; jwt: { clientId: string; userId: string; password: string } };
  no: {
    clientId: string;
    clientSecret: string;
    machineUser: { username: string; password: string };
    storesClient: { clientId: string; clientSecret: string };
  };
}

export function demoCredentials(): DemoCredentials {
  return {
    se: {
      clientId: 'sandbox-se-key',
      clientSecret: 'sandbox-se-secret',
      jwt: { clientId: 'sandbox-jwt-client', userId: '1234567', password: 'sandbox-jwt-password' },
    },
    no: {
      clientId: 'sandbox-no-client',
      clientSecret: 'sandbox-no-secret',
      machineUser: { username: 'api7813371375', password: 'sandbox-machine-password' },
      storesClient: { clientId: 'sandbox-no-stores', clientSecret: 'sandbox-no-stores-secret' },
    },
  };
}

/** Norway API products a client can be subscribed to (a missing one answers 40103). */
export type ProductId = 'mobile-subscription-info' | 'telenor-stores' | 'mobile-device-info';

/** How a misconfigured app fails at the token endpoint, after its credentials check out. */
export type ClientFault = 'blocked' | 'invalid-data' | 'bad-attributes' | 'server-error';

export interface NorwayClient {
  id: string;
  secret: string;
  /** Shown on the consent page. */
  appName: string;
  grants: ReadonlySet<NorwayGrant>;
  products: ReadonlySet<ProductId>;
  fault?: ClientFault;
}

export interface MachineUser {
  username: string;
  password: string;
  /** The client ids whose company owns this user (any other client answers code 23). */
  clients: ReadonlySet<string>;
}

export const NORWAY_SCOPES = ['openapi', 'subscriptions', 'accounts', 'device'] as const;
export type NorwayScope = (typeof NORWAY_SCOPES)[number];

/** What each scope lets an app do, in the words the consent page shows. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<NorwayScope, string>> = {
  openapi: 'Use Telenor open APIs on your behalf (store information)',
  subscriptions: "Read your company's mobile subscriptions",
  accounts: "Read your company's accounts, agreements and organisations",
  device: 'See which mobile device is used on your line',
};

const ALL_GRANTS: ReadonlySet<NorwayGrant> = new Set(['client_credentials', 'password', 'authorization_code']);
const ALL_PRODUCTS: ReadonlySet<ProductId> = new Set(['mobile-subscription-info', 'telenor-stores', 'mobile-device-info']);

export interface Registry {
  credentials: DemoCredentials;
  norway: ReadonlyMap<string, NorwayClient>;
  machineUsers: ReadonlyMap<string, MachineUser>;
  sweden: { clientId: string; clientSecret: string };
  jwtUser: { clientId: string; userId: string; password: string };
  /** Sweden Communication API names `hasPermission` grants the demo JWT user (the `service` parameter). */
  swedenServices: ReadonlySet<string>;
}

export const SWEDEN_MOBILE_ADMIN_SERVICE = 'Mobile Subscriptions Administration API';

export function createRegistry(): Registry {
  const credentials = demoCredentials();
  const { no } = credentials;
  const faultClient = (name: string, fault: ClientFault): NorwayClient => ({
    id: `sandbox-no-${name}`,
    secret: `sandbox-no-${name}-secret`,
    appName: `Sandbox ${name} app`,
    grants: ALL_GRANTS,
    products: ALL_PRODUCTS,
    fault,
  });
  const clients: NorwayClient[] = [
    {
      id: no.clientId,
      secret: no.clientSecret,
      appName: 'Sandbox Demo App',
      grants: ALL_GRANTS,
      products: ALL_PRODUCTS,
    },
    {
      id: no.storesClient.clientId,
      secret: no.storesClient.clientSecret,
      appName: 'Sandbox Store Finder',
      grants: new Set(['client_credentials']),
      products: new Set(['telenor-stores']),
    },
    {
      // Owns the machine user of "another company" (code 23 when that user signs in through another app).
      id: 'sandbox-no-other',
      secret: 'sandbox-no-other-secret',
      appName: 'Other Company App',
      grants: ALL_GRANTS,
      products: ALL_PRODUCTS,
    },
    faultClient('blocked', 'blocked'),
    faultClient('invalid', 'invalid-data'),
    faultClient('attributes', 'bad-attributes'),
    faultClient('error', 'server-error'),
  ];
  const users: MachineUser[] = [
    { ...no.machineUser, clients: new Set([no.clientId]) },
    { username: 'api0000000001', password: 'other-company-password', clients: new Set(['sandbox-no-other']) },
  ];
  return {
    credentials,
    norway: new Map(clients.map((c) => [c.id, c])),
    machineUsers: new Map(users.map((u) => [u.username, u])),
    sweden: { clientId: credentials.se.clientId, clientSecret: credentials.se.clientSecret },
    jwtUser: credentials.se.jwt,
    swedenServices: new Set([SWEDEN_MOBILE_ADMIN_SERVICE, 'Mobile Subscriptions Information API']),
  };
}

/** Secret comparison that does not leak the matching prefix length through timing. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
