// A real OpenID Provider (oidc-provider, an OpenID-certified implementation)
// for samspil's integration tests (crates/samspil/tests/integration/oidc.rs).
//
// It plays a municipality's identity provider: one client (samspil), PKCE
// required, and the claims a Danish broker sends about a municipal employee
// (CVR, job-function roles, the directory's uuid, e-mail, name). There is no
// password: the test "logs in" by posting the person's claims to the login
// interaction, so every case (admin, user, no role, wrong municipality, not
// in the directory) is one form post.
//
// Environment:
//   OIDC_REDIRECT_URI   samspil's callback URL (required)
//   OIDC_CLIENT_ID      default "samspil"
//   OIDC_CLIENT_SECRET  default "samspil-test-secret"
//   OIDC_CLAIMS_IN      "id_token" (default: custom claims in the ID token,
//                       as most brokers do) or "userinfo" (only in the
//                       userinfo answer, as conforming providers do)
//
// Prints one line, `issuer=http://127.0.0.1:PORT`, once it listens on a free
// port of the loopback interface; the test reads it and starts samspil.

import http from 'node:http';
import Provider from 'oidc-provider';

const redirectUri = process.env.OIDC_REDIRECT_URI;
if (!redirectUri) {
  console.error('OIDC_REDIRECT_URI is required');
  process.exit(2);
}
const clientId = process.env.OIDC_CLIENT_ID || 'samspil';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'samspil-test-secret';
const claimsInIdToken = (process.env.OIDC_CLAIMS_IN || 'id_token') === 'id_token';

// Accounts come into being when the test posts them to the login form.
const accounts = new Map();
const klikClaims = ['cvr', 'roles', 'uuid', 'loa'];

function start(port) {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'klik'],
    claims: {
      openid: ['sub'],
      email: ['email'],
      profile: ['name'],
      klik: klikClaims,
    },
    conformIdTokenClaims: !claimsInIdToken,
    cookies: { keys: ['samspil-test-provider-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    // A first-party client: no consent screen, every scope granted.
    loadExistingGrant: async (ctx) => {
      const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile klik');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));

  const callback = provider.callback();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
      if (!match) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        // The form a person would fill in; the test posts to it directly.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          `<form method="post" action="/interaction/${details.uid}/login">` +
            `<input name="sub"><input name="cvr"><input name="roles">` +
            `<input name="uuid"><input name="email"><input name="name"><input name="loa"></form>`,
        );
      }
      if (req.method === 'POST' && match[2]) {
        const form = new URLSearchParams(await body(req));
        const sub = form.get('sub');
        if (!sub) {
          res.writeHead(400);
          return res.end('sub is required');
        }
        const account = { name: form.get('name') || sub };
        for (const claim of ['cvr', 'uuid', 'email', 'loa']) {
          if (form.get(claim)) account[claim] = form.get(claim);
        }
        // Roles as a JSON array, as brokers send a multi-valued attribute.
        account.roles = (form.get('roles') || '')
          .split(',')
          .map((role) => role.trim())
          .filter(Boolean);
        accounts.set(sub, account);
        return provider.interactionFinished(
          req,
          res,
          { login: { accountId: sub } },
          { mergeWithLastSubmission: false },
        );
      }
      res.writeHead(405);
      res.end();
    } catch (error) {
      console.error('interaction failed', error);
      if (!res.headersSent) res.writeHead(400);
      res.end(String(error));
    }
  });
  return { server, issuer };
}

function body(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

// The issuer must name the port, so find a free one first.
const probe = http.createServer();
probe.listen(0, '127.0.0.1', () => {
  const { port } = probe.address();
  probe.close(() => {
    const { server, issuer } = start(port);
    server.listen(port, '127.0.0.1', () => {
      console.log(`issuer=${issuer}`);
    });
  });
});

// The test ends the process by closing its standard input (or killing it).
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
