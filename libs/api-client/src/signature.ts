/**
 * Callback signing: HMAC-SHA256 over `id.timestamp.body`, hex, in three headers. Uses Web
 * Crypto so that the same code runs in Node and Lambda; `crypto.subtle.verify` compares in
 * constant time.
 */
export const SIGNATURE_HEADERS = {
  id: 'gallery-request-id',
  timestamp: 'gallery-timestamp',
  signature: 'gallery-signature',
} as const;

/** How far a signed timestamp may be from the verifier's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    [usage],
  );
}

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

export interface SignedHeaders {
  [SIGNATURE_HEADERS.id]: string;
  [SIGNATURE_HEADERS.timestamp]: string;
  [SIGNATURE_HEADERS.signature]: string;
}

export async function signRequest(
  secret: string,
  body: string,
  { id = crypto.randomUUID(), now = Date.now() }: { id?: string; now?: number } = {},
): Promise<SignedHeaders> {
  const timestamp = String(Math.floor(now / 1000));
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret, 'sign'),
    encoder.encode(`${id}.${timestamp}.${body}`),
  );
  return {
    [SIGNATURE_HEADERS.id]: id,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.signature]: `v1=${toHex(mac)}`,
  };
}

export type Verification = { ok: true } | { ok: false; reason: string };

type HeaderValue = string | string[] | undefined;

function single(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

/**
 * Checks a signed request against each accepted secret (current first, then the previous
 * one during a rotation). Returns the reason when it does not verify.
 */
export async function verifySignature(
  secrets: readonly string[],
  headers: Record<string, HeaderValue>,
  body: string,
  now = Date.now(),
): Promise<Verification> {
  const id = single(headers[SIGNATURE_HEADERS.id]);
  const timestamp = single(headers[SIGNATURE_HEADERS.timestamp]);
  const signature = single(headers[SIGNATURE_HEADERS.signature]);
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad timestamp' };
  if (Math.abs(now / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'timestamp outside the tolerance' };
  }
  const mac = signature.startsWith('v1=') ? fromHex(signature.slice(3)) : null;
  if (!mac) return { ok: false, reason: 'malformed signature' };
  const signed = encoder.encode(`${id}.${timestamp}.${body}`);
  for (const secret of secrets) {
    if (await crypto.subtle.verify('HMAC', await hmacKey(secret, 'verify'), mac, signed))
      return { ok: true };
  }
  return { ok: false, reason: 'signature does not match' };
}
