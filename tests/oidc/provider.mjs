// A stand-in for INDIGO-IAM used by the PLANET Uploader real-server tests.
//
// node-oidc-provider configured with IAM's endpoint paths, lifetimes and claims (see
// shared/notes/iam-device-flow.md).  It listens on 127.0.0.1 only, generates a fresh RS256 signing key at
// every start, keeps everything in memory and prints `READY <issuer>` on stdout once it accepts requests.
//
// Environment:
//   PORT                port to listen on (0 or unset: any free port; the issuer follows the real port)
//   ACCESS_TOKEN_TTL    access token lifetime in seconds (default 3600, as IAM)
//   DEVICE_CODE_TTL     device code lifetime in seconds (default 600, as IAM)
//   ID_TOKEN_TTL        ID token lifetime in seconds (default 600, as IAM)
//   REFRESH_TOKEN_TTL   refresh token lifetime in seconds (default 30 days, as IAM)
//   CONF_CLIENT_SECRET  secret of the confidential client `planet-uploader-conf` (default 'conf-secret')
//   SLOW_DOWN_INTERVAL  seconds (default 0: off). When set, a device-code poll that comes sooner than this after
//                       the device authorization or the previous poll is answered `slow_down` (RFC 8628 3.5)
//                       instead of `authorization_pending`, as glewlwyd and some other providers do; IAM never does.
//   DEVICE_INTERVAL     seconds (default 0: none). When set, the device authorization answer carries `interval`
//                       (RFC 8628 3.2), which the client then polls at instead of the 5 s it assumes without one;
//                       IAM sends none. The tests' shared provider announces 1 s, so that a login the test does
//                       not examine waits 1 s rather than 5 s; the tests of the polling use a provider without it.
//
// Differences from IAM worth knowing when reading test results:
//   - A user who aborts the device confirmation makes the token endpoint answer `access_denied`; IAM keeps
//     answering `authorization_pending` until the code expires.  Clients must handle both.
//   - Access tokens are JWTs only when a resource (`resource=urn:planet:minio`) was requested, on the device
//     authorization request or on the token request; otherwise they are opaque.  Both kinds work at /userinfo
//     (node-oidc-provider alone refuses JWT access tokens there; a small shim in front of it accepts them, as
//     IAM does).  JWT access tokens are not stored: /introspect answers `unsupported_token_type` for them
//     and /revoke cannot revoke them; opaque access tokens and refresh tokens work with both.
import * as crypto from 'node:crypto';
import * as http from 'node:http';

import Provider, { errors } from 'oidc-provider';

/** Resource indicator (and JWT `aud`) of the S3 server's STS; must equal its OIDC provider `clientId`. */
const MINIO_RESOURCE = 'urn:planet:minio';

function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const PORT = intFromEnv('PORT', 0);
const ACCESS_TOKEN_TTL = intFromEnv('ACCESS_TOKEN_TTL', 3600);
const DEVICE_CODE_TTL = intFromEnv('DEVICE_CODE_TTL', 600);
const ID_TOKEN_TTL = intFromEnv('ID_TOKEN_TTL', 600);
const REFRESH_TOKEN_TTL = intFromEnv('REFRESH_TOKEN_TTL', 30 * 24 * 3600);
const CONF_CLIENT_SECRET = process.env.CONF_CLIENT_SECRET || 'conf-secret';
const SLOW_DOWN_INTERVAL = intFromEnv('SLOW_DOWN_INTERVAL', 0);
const DEVICE_INTERVAL = intFromEnv('DEVICE_INTERVAL', 0);

const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'groups', 'wlcg.groups'];

/** The test users.  Any password is accepted by the dev login form; unknown logins are refused. */
const ACCOUNTS = {
  alice: {
    name: 'Alice Rossi',
    given_name: 'Alice',
    family_name: 'Rossi',
    preferred_username: 'alice',
    email: 'alice@planet.example',
    email_verified: true,
    organisation_name: 'planet',
    groups: ['planet-uploaders', 'planet-covid'],
    'wlcg.groups': ['/planet-uploaders', '/planet-covid'],
  },
  bob: {
    name: 'Bob Bianchi',
    given_name: 'Bob',
    family_name: 'Bianchi',
    preferred_username: 'bob',
    email: 'bob@planet.example',
    email_verified: true,
    organisation_name: 'planet',
    groups: ['planet-readers'],
    'wlcg.groups': ['/planet-readers'],
  },
};

function generateSigningJwks() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' }] };
}

/** Which claims each scope releases (ID token and userinfo). */
const CLAIMS_BY_SCOPE = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'organisation_name'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
  'wlcg.groups': ['wlcg.groups'],
};

/** Claims that IAM puts into its JWT access tokens (depending on the granted scopes). */
function accessTokenClaims(accountId, scopes) {
  const account = ACCOUNTS[accountId];
  if (!account) return undefined;
  const claims = {
    preferred_username: account.preferred_username,
    name: account.name,
    groups: account.groups,
    organisation_name: account.organisation_name,
  };
  if (scopes.has('wlcg.groups')) claims['wlcg.groups'] = account['wlcg.groups'];
  if (scopes.has('email')) claims.email = account.email;
  return claims;
}

function buildConfiguration(signingJwks) {
  return {
    clients: [
      {
        client_id: 'planet-uploader',
        client_name: 'PLANET Uploader',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        scope: SCOPES.join(' '),
      },
      {
        client_id: 'planet-uploader-conf',
        client_secret: CONF_CLIENT_SECRET,
        client_name: 'PLANET Uploader (confidential)',
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        introspection_endpoint_auth_method: 'client_secret_basic',
        revocation_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        response_types: [],
        redirect_uris: [],
        scope: SCOPES.join(' '),
      },
    ],
    jwks: signingJwks,
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    // IAM's endpoint paths.
    routes: {
      authorization: '/authorize',
      device_authorization: '/devicecode',
      code_verification: '/device',
      token: '/token',
      jwks: '/jwk',
      userinfo: '/userinfo',
      revocation: '/revoke',
      introspection: '/introspect',
      end_session: '/logout',
    },
    scopes: SCOPES,
    claims: CLAIMS_BY_SCOPE,
    // IAM puts the scope-selected claims into the ID token too.
    conformIdTokenClaims: false,
    async findAccount(_ctx, id) {
      const account = ACCOUNTS[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...account };
        },
      };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' && token.kind !== 'ClientCredentials') return undefined;
      return accessTokenClaims(token.accountId, new Set((token.scope || '').split(' ')));
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      // Not offered by IAM.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // A resource asked for on the device authorization request also applies to the token request.
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx, resourceIndicator) {
          if (resourceIndicator !== MINIO_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: SCOPES.join(' '),
            audience: MINIO_RESOURCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    rotateRefreshToken: false,
    ttl: {
      AccessToken: () => ACCESS_TOKEN_TTL,
      DeviceCode: () => DEVICE_CODE_TTL,
      IdToken: () => ID_TOKEN_TTL,
      RefreshToken: () => REFRESH_TOKEN_TTL,
      Grant: () => REFRESH_TOKEN_TTL,
      Session: () => REFRESH_TOKEN_TTL,
      Interaction: () => 3600,
    },
    clientBasedCORS: () => false,
  };
}

/** Verify a JWT access token issued by this provider; return its payload, or undefined. */
function verifyOwnAccessToken(token, publicKey, issuer) {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let header;
  let payload;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (header.alg !== 'RS256' || header.typ !== 'at+jwt') return undefined;
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!crypto.verify('RSA-SHA256', signed, publicKey, Buffer.from(parts[2], 'base64url'))) return undefined;
  if (payload.iss !== issuer || typeof payload.exp !== 'number' || payload.exp * 1000 <= Date.now()) {
    return undefined;
  }
  return payload;
}

/**
 * IAM answers /userinfo for its JWT access tokens; node-oidc-provider does not (its JWT access tokens are
 * bound to a resource server).  Answer those requests here and leave everything else to the provider.
 */
function userinfoShim(publicKey, issuer, next) {
  return (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    const auth = req.headers.authorization || '';
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (path !== '/userinfo' || !['GET', 'POST'].includes(req.method) || !match) return next(req, res);
    const payload = verifyOwnAccessToken(match[1], publicKey, issuer);
    const account = payload && ACCOUNTS[payload.sub];
    if (!account) return next(req, res);
    const scopes = new Set(String(payload.scope || '').split(' '));
    if (!scopes.has('openid')) return next(req, res);
    const body = { sub: payload.sub };
    for (const [scope, names] of Object.entries(CLAIMS_BY_SCOPE)) {
      if (!scopes.has(scope)) continue;
      for (const name of names) if (name in account) body[name] = account[name];
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
    return undefined;
  };
}

/**
 * Answer `slow_down` to device-code polls that come too fast.  Runs after the provider has answered, and
 * only rewrites `authorization_pending` answers, so no code is consumed by a poll it refuses.
 */
function slowDown(minimumMs) {
  const lastSeen = new Map(); // device_code -> time of the authorization or of the last poll
  return async (ctx, next) => {
    await next();
    const params = ctx.oidc && ctx.oidc.params;
    if (ctx.path === '/devicecode' && ctx.status === 200 && ctx.body && ctx.body.device_code) {
      lastSeen.set(ctx.body.device_code, Date.now());
      return;
    }
    if (ctx.path !== '/token' || !params || params.grant_type !== 'urn:ietf:params:oauth:grant-type:device_code') {
      return;
    }
    const now = Date.now();
    const previous = lastSeen.get(params.device_code);
    lastSeen.set(params.device_code, now);
    const pending = ctx.status === 400 && ctx.body && ctx.body.error === 'authorization_pending';
    if (pending && previous !== undefined && now - previous < minimumMs) {
      ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly and should back off' };
    }
  };
}

/** Announce a polling `interval` in the device authorization answer (node-oidc-provider sends none). */
function announceInterval(seconds) {
  return async (ctx, next) => {
    await next();
    if (ctx.path === '/devicecode' && ctx.status === 200 && ctx.body && ctx.body.device_code) {
      ctx.body = { ...ctx.body, interval: seconds };
    }
  };
}

// Listen first, so that PORT=0 works and the issuer always carries the real port.
let handler = (_req, res) => {
  res.statusCode = 503;
  res.end('starting');
};
const server = http.createServer((req, res) => handler(req, res));

server.on('error', (err) => {
  console.error(`provider: cannot listen on 127.0.0.1:${PORT}: ${err.message}`);
  process.exit(2);
});

server.listen(PORT, '127.0.0.1', () => {
  const { port } = server.address();
  // Trailing slash, like IAM's discovery `issuer`; oidc-provider keeps the issuer string as given.
  const issuer = `http://127.0.0.1:${port}/`;
  const signingJwks = generateSigningJwks();
  const publicKey = crypto.createPublicKey({ key: signingJwks.keys[0], format: 'jwk' });
  const provider = new Provider(issuer, buildConfiguration(signingJwks));
  provider.on('server_error', (_ctx, err) => console.error('provider: server_error', err));
  if (SLOW_DOWN_INTERVAL > 0) provider.use(slowDown(SLOW_DOWN_INTERVAL * 1000));
  if (DEVICE_INTERVAL > 0) provider.use(announceInterval(DEVICE_INTERVAL));
  handler = userinfoShim(publicKey, issuer, provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});

function shutdown(signal) {
  console.error(`provider: ${signal}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
