/**
 * Certificate-trust failures and what to say about them, shared by the send path and spec downloads (which
 * keeps this module free of imports: the spec worker loads undici lazily).
 */

/** Node/OpenSSL codes meaning "the chain does not end at a CA we trust" (a TLS-inspecting proxy, a self-signed server). */
export const TLS_TRUST_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

export const TLS_TRUST_HINT =
  'If a company proxy or firewall inspects TLS, add its CA certificate with the extra CA setting (or ' +
  'NODE_EXTRA_CA_CERTS). For a local test server with a self-signed certificate, add that certificate the same way.';
