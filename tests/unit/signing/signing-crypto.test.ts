/**
 * The cryptographic ground: SM3 against GB/T 32905's examples and across two implementations, SM2
 * against GM/T 0003.5-2012 Appendix A's published signature (recommended curve, default user id),
 * sign/verify round trips, the sealed private key, and the printed payload's encoding.
 */
import fc from 'fast-check';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/signing/canonical.js';
import { base64urlToBytes, bytesToBase64url, bytesToHex, hexToBytes } from '../../../shared/signing/encoding.js';
import { SM2_DEFAULT_USER_ID } from '../../../shared/signing/identity.js';
import { decodePayload, encodePayload, parseShortCode, shortCodeFrom, type Statement } from '../../../shared/signing/statement.js';
import { breakLines } from '../../../shared/core/line-break.js';
import {
  fingerprintOf,
  generateKeyPair,
  isValidPublicKey,
  openPrivateKey,
  publicKeyOf,
  sealPrivateKey,
  signBytes,
  sm3Hex,
  verifyBytes,
} from '../../../electron/services/signing/sm2.js';

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('SM3 (GB/T 32905-2016)', () => {
  it("matches the standard's two examples", () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('Node (OpenSSL) and sm-crypto agree on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(sm3Hex(bytes)).toBe(smCrypto.sm3(Array.from(bytes)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('SM2 signatures (GB/T 32918, GM/T 0003.5-2012 Appendix A)', () => {
  // Published example on the recommended curve: private key, public key, message "message digest",
  // user id 1234567812345678, and the signature (r, s) made with the standard's fixed k.
  const PRIVATE = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
  const PUBLIC =
    '04' +
    '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
    'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
  const R = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3';
  const S = 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
  const DER = `3046022100${R}022100${S}`;

  it('derives the published public key and verifies the published signature with the default user id', () => {
    expect(SM2_DEFAULT_USER_ID).toBe('1234567812345678');
    expect(publicKeyOf(PRIVATE)).toBe(PUBLIC);
    expect(isValidPublicKey(PUBLIC)).toBe(true);
    expect(verifyBytes(utf8('message digest'), DER, PUBLIC)).toBe(true);
  });

  it('refuses the published signature for another message, another key or another user id', () => {
    expect(verifyBytes(utf8('message digesT'), DER, PUBLIC)).toBe(false);
    expect(verifyBytes(utf8('message digest'), DER, generateKeyPair().publicKey)).toBe(false);
    const withOtherId = smCrypto.sm2.doVerifySignature('message digest', DER, PUBLIC, {
      der: true,
      hash: true,
      userId: 'ALICE123@YAHOO.COM',
    });
    expect(withOtherId).toBe(false);
  });

  it('our signatures verify with the standard construction (Z with the default id, then SM3(Z ‖ M))', () => {
    const pair = generateKeyPair();
    const message = utf8('关于某某县市场监督管理局的监督意见书');
    const sig = signBytes(message, pair.privateKey, pair.publicKey);
    expect(sig).toMatch(/^30[0-9a-f]+$/);
    // Independent check: sm-crypto's verifier with the id spelled out, and a pre-hash computed by hand.
    expect(
      smCrypto.sm2.doVerifySignature(Array.from(message), sig, pair.publicKey, { der: true, hash: true, userId: '1234567812345678' }),
    ).toBe(true);
    expect(verifyBytes(message, sig, pair.publicKey)).toBe(true);
    expect(verifyBytes(utf8('关于某某县市场监督管理局的监督意见书。'), sig, pair.publicKey)).toBe(false);
  });

  it('round-trips sign/verify on random messages; any flipped signature byte fails', () => {
    const pair = generateKeyPair();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (message, pick) => {
        const sig = signBytes(message, pair.privateKey, pair.publicKey);
        expect(verifyBytes(message, sig, pair.publicKey)).toBe(true);
        const bytes = hexToBytes(sig);
        const at = 4 + (pick % (bytes.length - 4)); // past the DER header, into r or s
        bytes[at] = bytes[at]! ^ 0x01;
        expect(verifyBytes(message, bytesToHex(bytes), pair.publicKey)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });

  it('fingerprint is the SM3 of the public key bytes; malformed keys are refused', () => {
    const pair = generateKeyPair();
    expect(fingerprintOf(pair.publicKey)).toBe(sm3Hex(Buffer.from(pair.publicKey, 'hex')));
    expect(isValidPublicKey(`04${'00'.repeat(64)}`)).toBe(false);
    expect(isValidPublicKey(pair.publicKey.slice(0, 128))).toBe(false);
    expect(verifyBytes(utf8('x'), '3006020101020101', `04${'11'.repeat(64)}`)).toBe(false);
  });
});

describe('the private key at rest', () => {
  it('opens only with the right password and binding; the stored form holds no plain key', async () => {
    const pair = generateKeyPair();
    const sealed = await sealPrivateKey(pair.privateKey, 'Passw0rd!', 'fp-1');
    expect(JSON.stringify(sealed)).not.toContain(pair.privateKey);
    expect(JSON.stringify(sealed)).not.toContain(Buffer.from(pair.privateKey, 'hex').toString('base64'));
    expect(await openPrivateKey(sealed, 'Passw0rd!', 'fp-1')).toBe(pair.privateKey);
    expect(await openPrivateKey(sealed, 'Passw0rd?', 'fp-1')).toBeNull();
    expect(await openPrivateKey(sealed, 'Passw0rd!', 'fp-2')).toBeNull();
    const edited = {
      ...sealed,
      data: Buffer.from(Buffer.from(sealed.data, 'base64').map((b, i) => (i === 3 ? b ^ 1 : b))).toString('base64'),
    };
    expect(await openPrivateKey(edited, 'Passw0rd!', 'fp-1')).toBeNull();
  });
});

describe('canonical JSON and encodings', () => {
  it('sorts keys at every depth and keeps Chinese as is', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: '文号' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[2,{"y":"文号","z":null}]},"b":1}',
    );
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
  });

  it('base64url round-trips and refuses non-canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(bytesToBase64url(b)).toBe(Buffer.from(b).toString('base64url'));
        expect(base64urlToBytes(bytesToBase64url(b))).toEqual(b);
      }),
    );
    expect(base64urlToBytes('AQ')).toEqual(Uint8Array.from([1]));
    expect(() => base64urlToBytes('AB')).toThrow(); // stray low bits: a second spelling of the same byte
    expect(() => base64urlToBytes('A+B/')).toThrow();
  });
});

describe('the printed payload (QR text) and short code', () => {
  const statement: Statement = {
    v: 1,
    id: '4f7c8a3e-1b2d-4c5e-9f60-7a8b9c0d1e2f',
    date: '2025-03-05',
    documentNumber: '某司监〔2025〕12号',
    content: sm3Hex('content'),
    signer: sm3Hex('signer'),
  };
  const signature = signBytes(utf8('x'), generateKeyPair().privateKey, generateKeyPair().publicKey);

  it('decodes back to the same statement and signature, from within surrounding text', () => {
    const text = encodePayload(statement, signature);
    expect(text.startsWith('PCV1|')).toBe(true);
    expect(decodePayload(text)).toEqual({ ok: true, statement, signature });
    expect(decodePayload(`扫描结果：${text}\n`)).toEqual({ ok: true, statement, signature });
    const odd = { ...statement, documentNumber: '某|司%监〔2025〕1号' };
    expect(decodePayload(encodePayload(odd, signature))).toEqual({ ok: true, statement: odd, signature });
  });

  it('says why a damaged or partial payload cannot be read', () => {
    const text = encodePayload(statement, signature);
    expect(decodePayload(text.slice(0, 60))).toMatchObject({ ok: false });
    expect(decodePayload(text.replace('|20250305|', '|2025035|'))).toMatchObject({ ok: false });
    expect(decodePayload('hello')).toEqual({ ok: false, reason: expect.stringContaining('PCV1') });
  });

  it('short codes are 16 Crockford characters, typed leniently', () => {
    const code = shortCodeFrom(sm3Hex('payload'));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(parseShortCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(parseShortCode('1234')).toBeNull();
  });
});

describe('line breaking (禁则)', () => {
  const w = (t: string): number => [...t].reduce((a, ch) => a + (ch.charCodeAt(0) < 0x80 ? 0.5 : 1), 0);
  it('never starts a line with closing punctuation or ends one with opening punctuation, keeps numbers whole', () => {
    const lines = breakLines('一二三四五六七八九，十一二三四五六七八（九十）2025年度共88.5分。', w, { first: 9, rest: 9 });
    expect(lines.join('')).toBe('一二三四五六七八九，十一二三四五六七八（九十）2025年度共88.5分。');
    for (const l of lines) {
      expect('，。）》、；：'.includes(l[0]!)).toBe(false);
      expect('（《'.includes(l[l.length - 1]!)).toBe(false);
    }
    expect(lines.some((l) => l.includes('2025'))).toBe(true);
    expect(lines.some((l) => l.includes('88.5'))).toBe(true);
    // A run of closing marks (”，) at the break: the character before them goes down too.
    const run = breakLines('法律文书按照法定期限和方法送达”，扣5分', w, { first: 16, rest: 16 });
    expect(run).toEqual(['法律文书按照法定期限和方法送', '达”，扣5分']);
  });

  it('loses no character on random text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'评查案卷，。（）《》2025ab、：'), { maxLength: 120 }),
        fc.integer({ min: 3, max: 30 }),
        (chars, width) => {
          const text = chars.join('');
          expect(breakLines(text, w, { first: width, rest: width }).join('')).toBe(text);
        },
      ),
    );
  });
});
