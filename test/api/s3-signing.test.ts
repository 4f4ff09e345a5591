/**
 * S3's SigV4 streaming upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), checked against the worked
 * example of AWS's documentation ("Signature calculations for the Authorization header:
 * transferring payload in multiple chunks"): the seed signature, then each chunk's signature
 * chained from the one before; a tampered chunk is refused.
 */
import { describe, expect, it } from 'vitest';
import { decodeAwsChunked, signingKey } from '../../src/api/aws-chunked.js';
import { SigV4Verifier } from '../../src/api/sigv4.js';
import { ApiError } from '../../src/api/wire.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const CHUNK_SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];

function exampleBody(signatures = CHUNK_SIGNATURES, data = ['a'.repeat(65536), 'a'.repeat(1024), '']): Buffer {
  return Buffer.concat(data.map((d, i) => Buffer.from(`${Buffer.byteLength(d).toString(16)};chunk-signature=${signatures[i]}\r\n${d}\r\n`)));
}

const request = (body: Buffer) => ({
  method: 'PUT',
  path: '/examplebucket/chunkObject.txt',
  query: new URLSearchParams(),
  headers: new Map([
    ['host', 's3.amazonaws.com'],
    ['x-amz-date', '20130524T000000Z'],
    ['x-amz-storage-class', 'REDUCED_REDUNDANCY'],
    ['authorization', `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${SEED}`],
    ['x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'],
    ['content-encoding', 'aws-chunked'],
    ['x-amz-decoded-content-length', '66560'],
    ['content-length', String(body.length)],
  ]),
  body,
});

describe('S3 streaming uploads (aws-chunked, SigV4-signed chunks)', () => {
  const verifier = new SigV4Verifier([{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET }], () => Date.UTC(2013, 4, 24));

  it("verifies AWS's worked example and decodes its 66560 bytes", async () => {
    const body = exampleBody();
    expect(body.length).toBe(66824);
    const verified = await verifier.verifyS3(request(body));
    expect(verified.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(Buffer.from(verified.body).toString()).toBe('a'.repeat(66560));
  });

  it('refuses a chunk whose bytes were changed after signing', async () => {
    const tampered = exampleBody(CHUNK_SIGNATURES, ['a'.repeat(65535) + 'b', 'a'.repeat(1024), '']);
    await expect(verifier.verifyS3(request(tampered))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('decodes an unsigned chunked body with its trailing checksum', () => {
    const body = Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n');
    const decoded = decodeAwsChunked(body);
    expect(Buffer.from(decoded.body).toString()).toBe('hello');
    expect([...decoded.trailers]).toEqual([['x-amz-checksum-crc32', 'NhCmhg==']]);
  });

  it('refuses a body that ends before its chunk does', () => {
    const key = signingKey(SECRET, '20130524', 'us-east-1', 's3');
    expect(() => decodeAwsChunked(Buffer.from('10\r\nshort'), { key, amzDate: '20130524T000000Z', scope: '20130524/us-east-1/s3/aws4_request', seed: SEED })).toThrow(ApiError);
  });
});
