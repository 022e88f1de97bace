import * as assert from 'node:assert/strict';
import { decodeJwt, humanDuration, isoTime, looksLikeJwt } from '../../../src/http/jwt';
import { makeJwt } from './explain-support';

describe('decodeJwt', () => {
  it('reads exp, nbf, iat, scope, aud, iss and sub', () => {
    const t = makeJwt({ exp: 1700000000, nbf: 1690000000, iat: 1690000000, scope: 'read  write', aud: 'api', iss: 'https://id', sub: 'u1' });
    const d = decodeJwt(t);
    assert.ok(d);
    assert.equal(d.exp, 1700000000);
    assert.equal(d.nbf, 1690000000);
    assert.equal(d.iat, 1690000000);
    assert.deepEqual(d.scopes, ['read', 'write']);
    assert.deepEqual(d.aud, ['api']);
    assert.equal(d.iss, 'https://id');
    assert.equal(d.sub, 'u1');
    assert.equal(d.header.alg, 'RS256');
    assert.ok(looksLikeJwt(t));
  });

  it('reads scp arrays and audience arrays', () => {
    const d = decodeJwt(makeJwt({ scp: ['a', 'b', 3], aud: ['x', 'y'] }));
    assert.deepEqual(d?.scopes, ['a', 'b']);
    assert.deepEqual(d?.aud, ['x', 'y']);
  });

  it('returns undefined for anything that is not a JWS with JSON object parts', () => {
    const notJwts = ['', 'abc', 'a.b', 'a.b.c', 'eyJ.eyJ.x', `${makeJwt({})}.x.y`, 'e30.W10.x', 'e30.bnVsbA.x', '!!!.e30.x', 'e30.' + 'A'.repeat(10) + '.x'];
    for (const t of notJwts) assert.equal(decodeJwt(t), undefined, t);
  });

  it('ignores claims of the wrong type', () => {
    const d = decodeJwt(makeJwt({ exp: 'soon', nbf: null, scope: 5 }));
    assert.ok(d);
    assert.equal(d.exp, undefined);
    assert.equal(d.nbf, undefined);
    assert.equal(d.scopes, undefined);
  });

  it('formats durations and times', () => {
    assert.equal(humanDuration(42), '42 s');
    assert.equal(humanDuration(3 * 3600 + 5 * 60 + 9), '3 h 5 min');
    assert.equal(humanDuration(2 * 86400 + 3600), '2 days 1 h');
    assert.equal(isoTime(0), '1970-01-01T00:00:00Z');
  });
});
