/**
 * Telenor's developer portal pages for an API or operation. Only pages Telenor publishes are listed
 * (the portals' own reference pages for the sandbox's APIs); for anything else the answer is the
 * region's portal, never a guessed deep link. Pure: no vscode.
 */
// Pure helpers of the auth core (not part of the engine bundle's surface): small, no dependencies.
import { detectRegion } from '../../core/auth/region';
import type { ApiSummary, OperationInfo } from '../../core/spec/types';

export type Region = 'se' | 'no';

export interface DocLink {
  label: string;
  url: string;
  /** Why this page: shown as the quick pick's detail. */
  detail: string;
}

export const PORTALS: Readonly<Record<Region, DocLink>> = {
  no: { label: 'Telenor Norway developer portal', url: 'https://developer.telenor.no/', detail: 'developer.telenor.no: API products, guides and your apps' },
  se: { label: 'Telenor Sweden Open APIs portal', url: 'https://developer.telenor.se/', detail: 'developer.telenor.se: Open APIs, tokens and X-JWT' },
};

const NO_REF = 'https://developer.telenor.no/api';

interface KnownApi {
  /** Telenor's product name, compared with the spec's title case-insensitively. */
  title: string;
  /** The product's reference pages by path prefix; the first prefix an operation's path starts with wins. */
  pages: ReadonlyArray<{ prefix: string; url: string; label: string }>;
}

/** Reference pages the Norway portal publishes for the APIs the sandbox ships. */
const KNOWN_APIS: readonly KnownApi[] = [
  {
    title: 'Mobile Subscription Info API',
    pages: [
      { prefix: '/corporate-mobile-subscriptions/', url: `${NO_REF}/administration/mobilesubscriptioninfoapi/docs/ref/corporate-mobile-subscriptions.html`, label: 'corporate-mobile-subscriptions reference' },
      { prefix: '/corporate-accounts/', url: `${NO_REF}/administration/mobilesubscriptioninfoapi/docs/ref/corporate-accounts.html`, label: 'corporate-accounts reference' },
      { prefix: '/corporate-agreements/', url: `${NO_REF}/administration/mobilesubscriptioninfoapi/docs/ref/corporate-agreements.html`, label: 'corporate-agreements reference' },
      { prefix: '/organizations/', url: `${NO_REF}/administration/mobilesubscriptioninfoapi/docs/ref/organizations.html`, label: 'organizations reference' },
      { prefix: '/oauth/', url: 'https://developer.telenor.no/oauth/', label: 'OAuth (machine user) guide' },
    ],
  },
  {
    title: 'Telenor Stores API',
    // The portal's page for this product is its OAuth reference (client credentials, logout, token errors).
    pages: [{ prefix: '/', url: `${NO_REF}/administration/telenorstoresapi/docs/ref/oauth.html`, label: 'OAuth reference (client credentials)' }],
  },
  {
    title: 'Mobile Device Info API',
    pages: [{ prefix: '/', url: `${NO_REF}/identity/mobiledeviceinfoapi/docs/ref/mobile-device-info`, label: 'mobile-device-info reference' }],
  },
];

/** Sweden or Norway (the shared detection, so the hover, the tree and the environments agree). */
export function regionOf(api: ApiSummary): Region | undefined {
  return detectRegion(api)?.region;
}

export interface DocsAnswer {
  /** Open this page without asking. */
  open?: DocLink;
  /** Otherwise: offer these, best first. */
  choices: DocLink[];
}

/**
 * The page to open for an API (and operation): Telenor's reference page when the portal has one, else the
 * region's portal, else a choice between both portals.
 */
export function docsFor(api: ApiSummary | undefined, operation?: Pick<OperationInfo, 'path'>): DocsAnswer {
  const both = [PORTALS.no, PORTALS.se];
  if (api === undefined) return { choices: both };
  const known = KNOWN_APIS.find((k) => k.title.toLowerCase() === api.title.trim().toLowerCase());
  if (known !== undefined) {
    const page = operation === undefined ? undefined : known.pages.find((p) => operation.path.startsWith(p.prefix));
    const pages: DocLink[] = known.pages.map((p) => ({ label: `${known.title}: ${p.label}`, url: p.url, detail: p.url }));
    if (page !== undefined) return { open: { label: `${known.title}: ${page.label}`, url: page.url, detail: page.url }, choices: pages };
    if (pages.length === 1) return { open: pages[0] as DocLink, choices: pages };
    return { choices: [...pages, PORTALS.no] };
  }
  const region = regionOf(api);
  if (region !== undefined) return { open: PORTALS[region], choices: [PORTALS[region]] };
  return { choices: both };
}
