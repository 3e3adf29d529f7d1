/** What production needs at the HTTP boundary (an API key, TLS ending at a proxy), for specs about other rules. */
export const HTTP_PRODUCTION = {
  API_KEYS: JSON.stringify([{ id: 'docs', key: 'read-secret-00000000001', scopes: ['read'] }]),
  TRUST_PROXY: '10.0.0.5',
};
