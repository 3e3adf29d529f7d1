import { CertificateInfo, CertificateInternals, certificateInternals, checkValidity } from './certificate';
import { DEFAULT_SM2_USER_ID } from './constants';
import { LruCache } from './lru';
import { signatureSchemeOf, verifyWithCertificateKey } from './signature';

const MAX_CHAIN_DEPTH = 5;
// A signature over fixed DER either verifies or not, so results keyed by both fingerprints can be reused.
const results = new LruCache<string, boolean>(4000);

function signatureHolds(cert: CertificateInternals, issuer: CertificateInternals, userId: string): boolean {
  const key = `${cert.info.fingerprintSm3}:${issuer.info.fingerprintSm3}:${userId}`;
  let ok = results.get(key);
  if (ok === undefined) {
    const scheme = signatureSchemeOf(cert.signatureAlgorithmOid);
    ok = !!scheme && verifyWithCertificateKey(issuer, scheme, cert.tbs, cert.signature, userId);
    results.set(key, ok);
  }
  return ok;
}

export function verifyCertificateSignature(
  cert: CertificateInfo,
  issuer: CertificateInfo,
  userId: string = DEFAULT_SM2_USER_ID,
): boolean {
  try {
    return signatureHolds(certificateInternals(cert), certificateInternals(issuer), userId);
  } catch {
    return false;
  }
}

/** Roots are trust anchors: they may lack basicConstraints, but must not deny being a CA. */
function mayIssue(candidate: CertificateInternals, isRoot: boolean): boolean {
  if (candidate.keyCertSign === false || candidate.isCa === false) return false;
  return isRoot || candidate.isCa === true;
}

/**
 * Builds a path from `cert` to one of `trustedRoots` through `intermediates`: each link needs a matching
 * issuer name, a CA issuer, a valid signature and a validity period covering `at`. Revocation is not checked.
 */
export function verifyChain(
  cert: CertificateInfo,
  trustedRoots: CertificateInfo[],
  intermediates: CertificateInfo[] = [],
  at: Date = new Date(),
): { valid: boolean; reason?: string } {
  try {
    const roots = trustedRoots.map(certificateInternals);
    const rootPrints = new Set(roots.map((r) => r.info.fingerprintSm3));
    const candidates = [...roots, ...intermediates.map(certificateInternals)];

    const walk = (
      current: CertificateInternals,
      depth: number,
      seen: Set<string>,
    ): { valid: boolean; reason?: string } => {
      const validity = checkValidity(current.info, at);
      if (!validity.valid) return validity;
      if (rootPrints.has(current.info.fingerprintSm3)) return { valid: true };
      if (depth >= MAX_CHAIN_DEPTH) return { valid: false, reason: 'CHAIN_TOO_LONG' };
      let failure: { valid: boolean; reason?: string } = { valid: false, reason: 'UNTRUSTED' };
      for (const issuer of candidates) {
        const print = issuer.info.fingerprintSm3;
        if (issuer.info.subject !== current.info.issuer || seen.has(print)) continue;
        if (!mayIssue(issuer, rootPrints.has(print))) {
          failure = { valid: false, reason: 'ISSUER_NOT_CA' };
        } else if (!signatureHolds(current, issuer, DEFAULT_SM2_USER_ID)) {
          failure = { valid: false, reason: 'BAD_SIGNATURE' };
        } else {
          const next = walk(issuer, depth + 1, new Set(seen).add(current.info.fingerprintSm3));
          if (next.valid) return next;
          failure = next;
        }
      }
      return failure;
    };

    return walk(certificateInternals(cert), 0, new Set());
  } catch {
    return { valid: false, reason: 'MALFORMED' };
  }
}

/**
 * The issuers of `cert` up to and including a trusted root, as a record keeps them to be checked again without
 * today's configuration; empty when `cert` is itself a root or no issuer is found. Validity is verifyChain's business.
 */
export function issuerPath(cert: CertificateInfo, trustedRoots: CertificateInfo[]): CertificateInfo[] {
  const rootPrints = new Set(trustedRoots.map((root) => root.fingerprintSm3));
  const path: CertificateInfo[] = [];
  let current = cert;
  while (!rootPrints.has(current.fingerprintSm3) && path.length < MAX_CHAIN_DEPTH) {
    const issuer = trustedRoots.find(
      (candidate) =>
        candidate.subject === current.issuer &&
        !path.includes(candidate) &&
        verifyCertificateSignature(current, candidate),
    );
    if (!issuer) return [];
    path.push(issuer);
    current = issuer;
  }
  return rootPrints.has(current.fingerprintSm3) ? path : [];
}
