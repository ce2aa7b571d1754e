/**
 * SM2/SM3 primitives. SM3 (GB/T 32905) comes from Node's OpenSSL; SM2 signatures (GB/T 32918) from
 * sm-crypto, because Node cannot set the SM2 distinguishing identifier and so cannot make signatures
 * other GM tools verify. Signatures use the standard default user id 1234567812345678 (Z = SM3(ENTL ‖
 * ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ Px ‖ Py), e = SM3(Z ‖ M)) and are DER-encoded (GM/T 0009 SM2Signature).
 *
 * Private keys never leave this module in the clear: they are sealed with a key derived from the
 * holder's password by scrypt and encrypted with AES-256-GCM (authenticated: a wrong password or an
 * edited blob fails to open instead of yielding a wrong key).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt as scryptCb } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { bytesToHex } from '../../../shared/signing/encoding.js';
import { SM2_DEFAULT_USER_ID } from '../../../shared/signing/identity.js';

const sm2 = smCrypto.sm2 as typeof smCrypto.sm2 & {
  verifyPublicKey(publicKey: string): boolean;
  getPublicKeyFromPrivateKey(privateKey: string): string;
};

/** SM3 digest as 64 lowercase hex digits. */
export function sm3Hex(data: Uint8Array | string): string {
  return createHash('sm3').update(data).digest('hex');
}

export interface KeyPair {
  /** Uncompressed point 04 ‖ x ‖ y, 130 hex digits. */
  publicKey: string;
  /** 64 hex digits. */
  privateKey: string;
}

export function generateKeyPair(): KeyPair {
  const pair = sm2.generateKeyPairHex();
  const privateKey = pair.privateKey.padStart(64, '0');
  return { privateKey, publicKey: sm2.getPublicKeyFromPrivateKey(privateKey) };
}

export function publicKeyOf(privateKey: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateKey);
}

/** A public key that lies on the SM2 curve, in the uncompressed form we exchange. */
export function isValidPublicKey(publicKey: string): boolean {
  return /^04[0-9a-f]{128}$/.test(publicKey) && sm2.verifyPublicKey(publicKey);
}

/** SM3 of the 65 public key bytes: the key's fingerprint. */
export function fingerprintOf(publicKey: string): string {
  return sm3Hex(Buffer.from(publicKey, 'hex'));
}

const asArray = (bytes: Uint8Array): number[] => Array.from(bytes);

/** SM2 signature (DER hex) of `message` with the default user id. */
export function signBytes(message: Uint8Array, privateKey: string, publicKey: string): string {
  return sm2.doSignature(asArray(message), privateKey, { hash: true, der: true, publicKey, userId: SM2_DEFAULT_USER_ID });
}

export function verifyBytes(message: Uint8Array, signature: string, publicKey: string): boolean {
  if (!isValidPublicKey(publicKey) || !/^30[0-9a-f]+$/.test(signature)) return false;
  try {
    return sm2.doVerifySignature(asArray(message), signature, publicKey, { hash: true, der: true, userId: SM2_DEFAULT_USER_ID });
  } catch {
    return false;
  }
}

// ── the private key at rest ──────────────────────────────────────────────────────────────────

/** N = 2^17 like the login hash: a copied backup costs a guesser 128 MiB and about half a second per try. */
export const KDF = { N: 1 << 17, r: 8, p: 1 } as const;

export interface SealedKey {
  v: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

function deriveKey(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, 32, { ...params, maxmem: 128 * params.N * params.r + 32 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/**
 * Encrypts a private key under a password. `binding` (the key's fingerprint) is authenticated data:
 * a sealed key copied onto another key's record does not open.
 */
export async function sealPrivateKey(privateKey: string, password: string, binding: string): Promise<SealedKey> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(password, salt, KDF);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const data = Buffer.concat([cipher.update(Buffer.from(privateKey, 'hex')), cipher.final()]);
  key.fill(0);
  return {
    v: 1,
    kdf: 'scrypt',
    ...KDF,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The private key, or null when the password (or the binding) is wrong or the blob was edited. */
export async function openPrivateKey(sealed: SealedKey, password: string, binding: string): Promise<string | null> {
  if (sealed.v !== 1 || sealed.kdf !== 'scrypt' || sealed.cipher !== 'aes-256-gcm') return null;
  if (sealed.N > 1 << 20 || sealed.r > 16 || sealed.p > 4) return null; // refuse absurd costs from a crafted backup
  const key = await deriveKey(password, Buffer.from(sealed.salt, 'base64'), sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    const hex = bytesToHex(plain);
    plain.fill(0);
    return hex;
  } catch {
    return null;
  } finally {
    key.fill(0);
  }
}
