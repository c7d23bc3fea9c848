// Sweden demo data: fixed-network product offers (Open APIs product catalog) and the service rules of the
// mobile administration product catalog (a Communication API). Built per instance; fixed values.

export interface ProductOffer {
  offerId: string;
  name: string;
  category: 'BROADBAND' | 'FIXED_VOICE' | 'TV' | 'SDWAN';
  description: string;
  downloadMbps?: number;
  uploadMbps?: number;
  monthlyFee: { amount: number; currency: 'SEK'; vatIncluded: false };
  establishmentFee: { amount: number; currency: 'SEK'; vatIncluded: false };
  bindingPeriodMonths: number;
  availableFrom: string;
}

export interface ServiceRule {
  serviceCode: string;
  name: string;
  category: 'BARRING' | 'ROAMING' | 'DATA' | 'VOICE' | 'MESSAGING';
  description: string;
  /** Service codes that must be active first. */
  requires: string[];
  /** Service codes that cannot be active at the same time. */
  excludes: string[];
  appliesTo: Array<'VOICE' | 'DATA_ONLY' | 'M2M'>;
  adminChangeable: boolean;
}

export interface SwedenData {
  productOffers: ProductOffer[];
  serviceRules: ServiceRule[];
}

const sek = (amount: number) => ({ amount, currency: 'SEK' as const, vatIncluded: false as const });

export function createSwedenData(): SwedenData {
  const broadband = (mbps: number, up: number, fee: number, binding: number): ProductOffer => ({
    offerId: `SE-FN-BB-${mbps}`,
    name: `Företagsbredband Fiber ${mbps}/${up}`,
    category: 'BROADBAND',
    description: `Fiberanslutning för företag med ${mbps} Mbit/s ned och ${up} Mbit/s upp, fast IP-adress ingår.`,
    downloadMbps: mbps,
    uploadMbps: up,
    monthlyFee: sek(fee),
    establishmentFee: sek(binding === 0 ? 2495 : 0),
    bindingPeriodMonths: binding,
    availableFrom: '2024-02-01',
  });
  return {
    productOffers: [
      broadband(100, 100, 449, 24),
      broadband(250, 250, 599, 24),
      broadband(500, 500, 799, 36),
      broadband(1000, 1000, 1099, 36),
      {
        offerId: 'SE-FN-VOICE-SIP',
        name: 'Företagstelefoni SIP-trunk',
        category: 'FIXED_VOICE',
        description: 'SIP-trunk med 10 samtidiga samtal och nummerserie om 100 nummer.',
        monthlyFee: sek(690),
        establishmentFee: sek(1500),
        bindingPeriodMonths: 12,
        availableFrom: '2023-09-01',
      },
      {
        offerId: 'SE-FN-SDWAN-BASIC',
        name: 'Managed SD-WAN Bas',
        category: 'SDWAN',
        description: 'Hanterad SD-WAN-nod med övervakning dygnet runt, för ett kontor.',
        monthlyFee: sek(1890),
        establishmentFee: sek(4900),
        bindingPeriodMonths: 36,
        availableFrom: '2024-06-01',
      },
    ],
    serviceRules: [
      rule('BAR_INT_CALLS', 'Spärr för utlandssamtal', 'BARRING', 'Spärrar samtal till utländska nummer.', [], ['BAR_ALL_OUT'], ['VOICE']),
      rule('BAR_ALL_OUT', 'Spärr för alla utgående samtal', 'BARRING', 'Spärrar alla utgående samtal utom nödsamtal.', [], ['BAR_INT_CALLS'], ['VOICE']),
      rule('BAR_PREMIUM', 'Spärr för betalnummer', 'BARRING', 'Spärrar samtal och SMS till betalnummer (0900, 0939, 0944).', [], [], ['VOICE']),
      rule('ROAM_DATA', 'Data utomlands', 'ROAMING', 'Tillåter datatrafik i andra länder än Sverige.', ['ROAM_BASIC'], ['ROAM_DATA_BAR'], ['VOICE', 'DATA_ONLY', 'M2M']),
      rule('ROAM_BASIC', 'Utlandstrafik', 'ROAMING', 'Tillåter samtal och SMS i andra länder.', [], [], ['VOICE', 'DATA_ONLY']),
      rule('ROAM_DATA_BAR', 'Spärr för data utomlands', 'ROAMING', 'Spärrar all datatrafik utanför Sverige.', [], ['ROAM_DATA'], ['VOICE', 'DATA_ONLY', 'M2M']),
      rule('DATA_5G', '5G', 'DATA', 'Aktiverar 5G där det finns täckning.', [], [], ['VOICE', 'DATA_ONLY']),
      rule('VOLTE', 'Samtal via 4G (VoLTE)', 'VOICE', 'Samtal över 4G-nätet för snabbare uppkoppling.', [], [], ['VOICE']),
      rule('MMS', 'MMS', 'MESSAGING', 'Skicka och ta emot MMS.', [], [], ['VOICE']),
    ],
  };
}

function rule(
  serviceCode: string,
  name: string,
  category: ServiceRule['category'],
  description: string,
  requires: string[],
  excludes: string[],
  appliesTo: ServiceRule['appliesTo'],
): ServiceRule {
  return { serviceCode, name, category, description, requires, excludes, appliesTo, adminChangeable: category !== 'VOICE' };
}
