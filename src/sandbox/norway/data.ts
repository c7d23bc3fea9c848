// The Norway APIs' demo data: a company ("TELENOR", org 914742315, as the real organisations endpoint
// answers) with accounts, agreements and ~1,250 mobile subscriptions, a handful of Telenor stores, and the
// lines a tester can "be" on the consent page. Generated from a fixed seed, so every run (and every
// sandbox instance) serves the same data, and built per instance, so nothing is shared between them.

/** mulberry32: tiny seeded PRNG. Hand-written because the data must be reproducible, not secret. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');

/** Appends the Luhn check digit (ICCIDs and IMEIs carry one). */
export function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

export interface Organization {
  orgNumber: string;
  name: string;
}

export interface Address {
  street: string;
  postalCode: string;
  city: string;
  country: 'NO';
}

export interface Account {
  accountId: string;
  name: string;
  orgNumber: string;
  status: 'ACTIVE' | 'CLOSED';
  invoiceMedium: 'EHF' | 'EMAIL' | 'PAPER';
  invoiceAddress: Address;
  costCenter: string;
  subscriptionCount: number;
}

export interface Agreement {
  agreementId: string;
  name: string;
  type: 'MOBILE' | 'MOBILE_BROADBAND' | 'M2M';
  orgNumber: string;
  status: 'ACTIVE' | 'EXPIRED';
  startDate: string;
  endDate: string | null;
  discountPercent: number;
}

export interface Product {
  productId: string;
  productName: string;
  agreementType: Agreement['type'];
}

export interface MobileSubscription {
  subscriptionId: string;
  msisdn: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';
  productId: string;
  productName: string;
  accountId: string;
  agreementId: string;
  user: { firstName: string; lastName: string; email: string };
  simCard: { iccid: string; type: 'SIM' | 'ESIM' };
  activationDate: string;
  lastModified: string;
}

export interface Store {
  storeId: string;
  name: string;
  address: Address;
  location: { latitude: number; longitude: number };
  phone: string;
  openingHours: Array<{ days: string; opens: string; closes: string }>;
  services: string[];
}

export interface Device {
  msisdn: string;
  imei: string;
  manufacturer: string;
  model: string;
  operatingSystem: string;
  esim: boolean;
  capabilities: { volte: boolean; vowifi: boolean; fiveG: boolean };
  firstSeen: string;
  lastSeen: string;
}

/** A line a tester can pick on the consent page (line authentication is simulated). */
export interface ConsentLine {
  id: string;
  msisdn: string;
  holder: string;
  /** Set for lines whose device lookup fails on purpose (the documented 500 codes). */
  failure?: { errorCode: '50002' | '50003'; description: string };
  device: Device;
}

export interface NorwayData {
  organizations: Organization[];
  accounts: Account[];
  agreements: Agreement[];
  products: Product[];
  /** Sorted by `lastModified`, oldest first. */
  subscriptions: MobileSubscription[];
  stores: Store[];
  lines: ConsentLine[];
}

const ORG: Organization = { orgNumber: '914742315', name: 'TELENOR' };
const FORNEBU: Address = { street: 'Snarøyveien 30', postalCode: '1360', city: 'Fornebu', country: 'NO' };

const FIRST_NAMES = [
  'Kari', 'Ola', 'Nora', 'Jakob', 'Emma', 'Lars', 'Ingrid', 'Henrik', 'Sofie', 'Bjørn', 'Åse', 'Magnus',
  'Silje', 'Sindre', 'Maja', 'Even', 'Thea', 'Eirik', 'Hanne', 'Tor', 'Marit', 'Øystein', 'Line', 'Anders',
  'Kristine', 'Håkon', 'Sigrid', 'Jonas', 'Ragnhild', 'Vegard',
];
const LAST_NAMES = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen',
  'Karlsen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Eriksen', 'Dahl', 'Solberg', 'Bakken', 'Lie',
  'Strand', 'Sæther', 'Ødegård', 'Moen', 'Halvorsen', 'Lunde', 'Nordmann',
];

const PRODUCTS: Product[] = [
  { productId: 'BEDRIFT_FRI_5GB', productName: 'Bedrift Fri 5 GB', agreementType: 'MOBILE' },
  { productId: 'BEDRIFT_FRI_20GB', productName: 'Bedrift Fri 20 GB', agreementType: 'MOBILE' },
  { productId: 'BEDRIFT_FRI_UBEGRENSET', productName: 'Bedrift Fri Ubegrenset', agreementType: 'MOBILE' },
  { productId: 'MOBILT_BREDBAND_100GB', productName: 'Mobilt Bredbånd 100 GB', agreementType: 'MOBILE_BROADBAND' },
  { productId: 'DATAKORT_TVILLING', productName: 'Datakort Tvilling', agreementType: 'MOBILE' },
  { productId: 'M2M_1GB', productName: 'Maskin til maskin 1 GB', agreementType: 'M2M' },
];

const ASCII: Record<string, string> = { æ: 'ae', ø: 'o', å: 'a' };
const emailPart = (name: string): string => name.toLowerCase().replace(/[æøå]/g, (c) => ASCII[c] ?? c);

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function createNorwayData(): NorwayData {
  const rng = seeded(914742315);
  const accounts: Account[] = [
    ['Hovedkonto', 'EHF', '1000'],
    ['Salg og marked', 'EHF', '2100'],
    ['Kundeservice', 'EMAIL', '2200'],
    ['Drift og nettverk', 'EHF', '3100'],
    ['Prosjekt Fornebu', 'EMAIL', '4100'],
    ['Tingenes internett', 'PAPER', '5100'],
  ].map(([part, medium, cost], i) => ({
    accountId: String(48_120_000 + i * 137),
    name: `TELENOR – ${part}`,
    orgNumber: ORG.orgNumber,
    status: 'ACTIVE' as const,
    invoiceMedium: medium as Account['invoiceMedium'],
    invoiceAddress: FORNEBU,
    costCenter: cost ?? '',
    subscriptionCount: 0,
  }));
  const agreements: Agreement[] = [
    { agreementId: 'AGR-2021-0042', name: 'Telenor Bedriftsavtale Mobil', type: 'MOBILE', orgNumber: ORG.orgNumber, status: 'ACTIVE', startDate: '2021-03-01', endDate: null, discountPercent: 22 },
    { agreementId: 'AGR-2022-0117', name: 'Telenor Bedriftsavtale Mobilt Bredbånd', type: 'MOBILE_BROADBAND', orgNumber: ORG.orgNumber, status: 'ACTIVE', startDate: '2022-09-15', endDate: null, discountPercent: 15 },
    { agreementId: 'AGR-2023-0311', name: 'Telenor IoT-avtale', type: 'M2M', orgNumber: ORG.orgNumber, status: 'ACTIVE', startDate: '2023-01-10', endDate: '2026-01-09', discountPercent: 10 },
    { agreementId: 'AGR-2017-0008', name: 'Telenor Bedriftsavtale Mobil (2017)', type: 'MOBILE', orgNumber: ORG.orgNumber, status: 'EXPIRED', startDate: '2017-05-01', endDate: '2021-02-28', discountPercent: 18 },
  ];

  const start = Date.UTC(2019, 0, 1);
  const modifiedFrom = Date.UTC(2023, 0, 1);
  const modifiedSpan = Date.UTC(2025, 5, 30) - modifiedFrom;
  const used = new Set<string>();
  const subscriptions: MobileSubscription[] = [];
  for (let i = 0; i < 1250; i++) {
    let msisdn: string;
    do msisdn = `47${pick(rng, ['9', '4'])}${digits(rng, 7)}`;
    while (used.has(msisdn));
    used.add(msisdn);
    const product = pick(rng, PRODUCTS);
    const agreement = agreements.find((a) => a.type === product.agreementType && a.status === 'ACTIVE') ?? agreements[0];
    const account = product.agreementType === 'M2M' ? accounts[5] : pick(rng, accounts.slice(0, 5));
    if (account === undefined || agreement === undefined) continue;
    account.subscriptionCount++;
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const roll = rng();
    const activated = start + Math.floor(rng() * (modifiedFrom - start));
    subscriptions.push({
      subscriptionId: `SUB-${String(7_000_000 + i * 31)}`,
      msisdn,
      status: roll < 0.9 ? 'ACTIVE' : roll < 0.95 ? 'SUSPENDED' : 'TERMINATED',
      productId: product.productId,
      productName: product.productName,
      accountId: account.accountId,
      agreementId: agreement.agreementId,
      user: { firstName: first, lastName: last, email: `${emailPart(first)}.${emailPart(last)}@telenor.example` },
      simCard: { iccid: withLuhn(`894701${digits(rng, 12)}`), type: rng() < 0.3 ? 'ESIM' : 'SIM' },
      activationDate: isoDay(activated),
      lastModified: new Date(modifiedFrom + Math.floor(rng() * modifiedSpan)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  }
  subscriptions.sort((a, b) => a.lastModified.localeCompare(b.lastModified) || a.msisdn.localeCompare(b.msisdn));

  return {
    organizations: [ORG],
    accounts,
    agreements,
    products: PRODUCTS,
    subscriptions,
    stores: stores(),
    lines: lines(),
  };
}

function stores(): Store[] {
  const weekdays = (opens: string, closes: string, saturday: [string, string]) => [
    { days: 'Mon-Fri', opens, closes },
    { days: 'Sat', opens: saturday[0], closes: saturday[1] },
  ];
  const store = (
    storeId: string,
    name: string,
    street: string,
    postalCode: string,
    city: string,
    latitude: number,
    longitude: number,
    services: string[],
  ): Store => ({
    storeId,
    name,
    address: { street, postalCode, city, country: 'NO' },
    location: { latitude, longitude },
    phone: '+4791509000',
    openingHours: weekdays('10:00', city === 'Oslo' ? '21:00' : '20:00', ['10:00', '18:00']),
    services,
  });
  const all = ['Mobil', 'Bredbånd', 'TV'];
  return [
    store('1001', 'Telenor Oslo City', 'Stenersgata 1', '0050', 'Oslo', 59.9127, 10.7527, [...all, 'Bedrift', 'Reparasjon']),
    store('1002', 'Telenor Storo', 'Vitaminveien 7', '0485', 'Oslo', 59.9466, 10.7766, all),
    store('1101', 'Telenor Sandvika Storsenter', 'Brodtkorbsgate 7', '1338', 'Sandvika', 59.8896, 10.5236, [...all, 'Reparasjon']),
    store('2001', 'Telenor Bergen Storsenter', 'Strømgaten 8', '5015', 'Bergen', 60.3897, 5.3327, [...all, 'Bedrift']),
    store('3001', 'Telenor Trondheim Torg', 'Kongens gate 11', '7013', 'Trondheim', 63.4305, 10.3951, all),
    store('4001', 'Telenor Kilden Stavanger', 'Gartnerveien 15', '4016', 'Stavanger', 58.9510, 5.7105, [...all, 'Reparasjon']),
    store('5001', 'Telenor Nerstranda Tromsø', 'Grønnegata 66', '9008', 'Tromsø', 69.6489, 18.9551, all),
    store('6001', 'Telenor Sørlandssenteret', 'Barstølveien 94', '4636', 'Kristiansand', 58.1767, 8.1290, [...all, 'Bedrift']),
  ];
}

function lines(): ConsentLine[] {
  const device = (msisdn: string, imeiBody: string, manufacturer: string, model: string, os: string, fiveG: boolean): Device => ({
    msisdn,
    imei: withLuhn(imeiBody),
    manufacturer,
    model,
    operatingSystem: os,
    esim: fiveG,
    capabilities: { volte: true, vowifi: fiveG, fiveG },
    firstSeen: '2024-10-02T08:14:55Z',
    lastSeen: '2025-06-29T17:42:10Z',
  });
  return [
    { id: 'kari', msisdn: '4791512345', holder: 'Kari Nordmann', device: device('4791512345', '35391811094521', 'Apple', 'iPhone 15 Pro', 'iOS 18.5', true) },
    { id: 'ola', msisdn: '4748234567', holder: 'Ola Nordmann', device: device('4748234567', '35226816220754', 'Samsung', 'Galaxy S24', 'Android 15', true) },
    {
      id: 'weak-auth',
      msisdn: '4793000002',
      holder: 'Test line: line authentication too weak',
      failure: { errorCode: '50002', description: 'Failed to validate acr: the line was not authenticated strongly enough' },
      device: device('4793000002', '86045704312877', 'Nokia', '3310 4G', 'KaiOS 2.5', false),
    },
    {
      id: 'terminated',
      msisdn: '4793000003',
      holder: 'Test line: terminated subscription',
      failure: { errorCode: '50003', description: 'Failed to validate subscription: the subscription on this line is terminated' },
      device: device('4793000003', '35875610438826', 'Google', 'Pixel 8', 'Android 15', true),
    },
  ];
}
