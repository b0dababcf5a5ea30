// Verify an Open Badges 3.0 credential with the JavaScript stack the DCC wallets use:
// jsonld.js in safe mode, @digitalbazaar/vc, data-integrity and the eddsa-rdfc-2022
// cryptosuite. Nothing is fetched: the document loader serves only the JSON-LD contexts
// Uptake bundles (uptake/openbadges/data/contexts, the same URL-to-file map as
// uptake/openbadges/jsonld.py BUNDLED) and the DID document given on the command line.
//
//   node tests/crosscheck/verify.mjs CREDENTIAL.json DID-DOCUMENT.json [STATUS-LIST.json ...]
//
// Prints one line of JSON, {"verified": true|false, "error": null|"..."}; exit status 0
// when verified, 1 when not, 2 on bad usage. A status list given is itself verified
// (its proof, with the same DID document) and the credential's bit is read from it: a set
// bit (revoked) fails verification.

import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gunzipSync} from 'node:zlib';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import jsonld from 'jsonld';

const HERE = dirname(fileURLToPath(import.meta.url));
const CONTEXTS = join(HERE, '..', '..', 'uptake', 'openbadges', 'data', 'contexts');

// uptake/openbadges/jsonld.py BUNDLED, URL for URL.
const BUNDLED = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://www.w3.org/2018/credentials/v1': 'credentials-v1.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob_v3p0_context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json': 'ob_v3p0_context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json': 'ob_v3p0_context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'ob_v3p0_extensions.json',
  'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json':
    'clr_v2p0_context-2.0.1.json',
  'https://w3id.org/security/data-integrity/v1': 'data-integrity-v1.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://w3id.org/security/jwk/v1': 'jwk-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/openbadges/v2': 'ob_v2p0_context.json',
};
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function loaderFor(didDocument) {
  const methods = new Map(
    (didDocument.verificationMethod || []).map(m => [m.id, m]));
  return async url => {
    if(Object.hasOwn(BUNDLED, url)) {
      return {contextUrl: null, documentUrl: url,
        document: readJson(join(CONTEXTS, BUNDLED[url]))};
    }
    if(url === didDocument.id) {
      return {contextUrl: null, documentUrl: url, document: didDocument};
    }
    if(methods.has(url)) {
      // A verification method is read on its own, in the Multikey context.
      return {contextUrl: null, documentUrl: url,
        document: {'@context': MULTIKEY_V1, ...methods.get(url)}};
    }
    throw new Error(`Refused to load ${url}: not a bundled context or the given DID ` +
      'document.');
  };
}

function bit(encodedList, index) {
  if(!encodedList.startsWith('u')) {
    throw new Error('encodedList is not multibase base64url.');
  }
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if(index < 0 || index >= bits.length * 8) {
    throw new Error(`statusListIndex ${index} is outside the list.`);
  }
  return (bits[index >> 3] >> (7 - (index % 8))) & 1;
}

async function main(argv) {
  if(argv.length < 2) {
    console.error('usage: node verify.mjs CREDENTIAL.json DID-DOCUMENT.json ' +
      '[STATUS-LIST.json ...]');
    return 2;
  }
  const [credentialPath, didPath, ...statusPaths] = argv;
  const credential = readJson(credentialPath);
  const documentLoader = loaderFor(readJson(didPath));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const lists = new Map(statusPaths.map(p => readJson(p)).map(l => [l.id, l]));

  // jsonld.js in safe mode: a key no context defines, or a relative IRI, is an error
  // here (the proof suites canonicalise in safe mode too).
  await jsonld.expand(credential, {documentLoader, safe: true});

  async function checkStatus({credential: checked}) {
    const entries = [].concat(checked.credentialStatus || []);
    for(const entry of entries) {
      const list = lists.get(entry.statusListCredential);
      if(!list) {
        return {verified: false,
          error: new Error(`No status list given for ${entry.statusListCredential}.`)};
      }
      const listResult = await vc.verifyCredential(
        {credential: list, suite, documentLoader});
      if(!listResult.verified) {
        return {verified: false, error: new Error('The status list does not verify: ' +
          describe(listResult))};
      }
      if(bit(list.credentialSubject.encodedList, Number(entry.statusListIndex))) {
        return {verified: false, error: new Error(
          `The credential's ${entry.statusPurpose} bit is set.`)};
      }
    }
    return {verified: true};
  }

  const result = await vc.verifyCredential({
    credential, suite, documentLoader,
    ...(credential.credentialStatus ? {checkStatus} : {}),
  });
  return result;
}

// An error's message, with what jsonld.js's safe mode names (the dropped property or
// the relative IRI) when it is a safe mode error.
function explain(error) {
  const event = error && error.details && error.details.event;
  if(!event) {
    return error.message || String(error);
  }
  const named = Object.values(event.details || {}).filter(v => typeof v === 'string');
  return `${error.message} ${event.code}: ${[...new Set(named)].join(', ')} ` +
    `(${event.message})`;
}

function describe(result) {
  const errors = [];
  for(const r of [result, result.statusResult, ...(result.results || [])]) {
    if(r && r.error) {
      errors.push(r.error);
    }
  }
  const messages = errors.flatMap(e => e.errors ? e.errors : [e]).map(explain);
  return [...new Set(messages)].join('; ') || 'not verified';
}

try {
  const result = await main(process.argv.slice(2));
  if(typeof result === 'number') {
    process.exit(result);
  }
  console.log(JSON.stringify({verified: result.verified,
    error: result.verified ? null : describe(result)}));
  process.exit(result.verified ? 0 : 1);
} catch(error) {
  console.log(JSON.stringify({verified: false, error: explain(error)}));
  process.exit(1);
}
