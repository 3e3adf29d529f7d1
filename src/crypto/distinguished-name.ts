import { childrenOf, expectTag, oidOf, readSingle, TAG, Tlv, UNIVERSAL, valueOf, rawOf } from './der';

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const OIDS_BY_SHORT_NAME: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHORT_NAMES).map(([oid, name]) => [name, oid]),
);

/** 'CN', 'emailAddress', 'E' or a dotted OID -> OID. */
export function attributeOid(name: string): string | undefined {
  if (/^\d+(\.\d+)+$/.test(name)) return name;
  const upper = name.toUpperCase();
  return OIDS_BY_SHORT_NAME[upper === 'EMAILADDRESS' ? 'E' : upper];
}

function decodeString(tlv: Tlv): string | undefined {
  const bytes = valueOf(tlv);
  switch (tlv.tagNumber) {
    case 12:
      return bytes.toString('utf8');
    case 18:
    case 19:
    case 20:
    case 22:
    case 26:
      return bytes.toString('latin1');
    case 30:
      return Buffer.from(bytes).swap16().toString('utf16le');
    case 28: {
      let out = '';
      for (let i = 0; i + 4 <= bytes.length; i += 4) out += String.fromCodePoint(bytes.readUInt32BE(i));
      return out;
    }
    default:
      return undefined;
  }
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;]/g, (c) => `\\${c}`)
    .replace(/\0/g, '\\00')
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

export interface FormattedName {
  text: string;
  commonName?: string;
}

/** RFC 4514: RDNs from last to first, multi-valued RDNs joined with '+', unknown types as dotted OIDs. */
export function formatName(nameDer: Buffer): FormattedName {
  const rdns = childrenOf(expectTag(readSingle(nameDer), UNIVERSAL, TAG.SEQUENCE, 'Name'));
  let commonName: string | undefined;
  const parts = rdns.map((rdn) =>
    childrenOf(expectTag(rdn, UNIVERSAL, TAG.SET, 'RelativeDistinguishedName'))
      .map((atv) => {
        const [type, value] = childrenOf(expectTag(atv, UNIVERSAL, TAG.SEQUENCE, 'AttributeTypeAndValue'));
        const oid = oidOf(type);
        const text = value && value.tagClass === UNIVERSAL ? decodeString(value) : undefined;
        // The last CN in encoding order is the most specific one.
        if (oid === '2.5.4.3' && text !== undefined) commonName = text;
        const rendered = text === undefined ? `#${value ? rawOf(value).toString('hex') : ''}` : escapeValue(text);
        return `${SHORT_NAMES[oid] ?? oid}=${rendered}`;
      })
      .join('+'),
  );
  return { text: parts.reverse().join(', '), commonName };
}
