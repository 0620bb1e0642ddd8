// A machine client signs in with OAuth 2.0, as a Node service does against Okta: the Node SDK
// creates a service app and a scope on the default authorization server, openid-client discovers
// the server and gets a client_credentials token, and @okta/jwt-verifier (what a Node API
// protected by Okta checks tokens with) verifies it. All three unmodified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import OktaJwtVerifier from '@okta/jwt-verifier';
import { client, tag } from '../lib/okapi.mjs';

test('client_credentials: openid-client gets a token, @okta/jwt-verifier verifies it', async (t) => {
  const c = client();
  const scopeName = tag('compat:read:');
  const scope = await c.authorizationServerApi.createOAuth2Scope({ authServerId: 'default', oAuth2Scope: { name: scopeName } });
  t.after(() => c.authorizationServerApi.deleteOAuth2Scope({ authServerId: 'default', scopeId: scope.id }));
  const app = await c.applicationApi.createApplication({
    application: {
      name: 'oidc_client', label: tag('compat-service-'), signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } },
      settings: { oauthClient: { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] } },
    },
  });
  t.after(async () => {
    await c.applicationApi.deactivateApplication({ appId: app.id });
    await c.applicationApi.deleteApplication({ appId: app.id });
  });
  const { client_id: clientId, client_secret: clientSecret } = app.credentials.oauthClient;
  assert.ok(clientId && clientSecret, 'the new app shows its client_id and client_secret');

  const issuer = `${process.env.OKTA_ORG_URL}/oauth2/default`;
  const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret));
  assert.equal(config.serverMetadata().issuer, issuer);
  const tokens = await oidc.clientCredentialsGrant(config, { scope: scopeName });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, scopeName);

  const verifier = new OktaJwtVerifier({ issuer, assertClaims: { cid: clientId } });
  const jwt = await verifier.verifyAccessToken(tokens.access_token, 'api://default');
  assert.equal(jwt.claims.iss, issuer);
  assert.equal(jwt.claims.cid, clientId);
  assert.deepEqual(jwt.claims.scp, [scopeName]);
  await assert.rejects(verifier.verifyAccessToken(tokens.access_token, 'api://other'), 'another audience');
  const [h, p, s] = tokens.access_token.split('.');
  const tampered = [h, p, (s[0] === 'A' ? 'B' : 'A') + s.slice(1)].join('.');
  await assert.rejects(verifier.verifyAccessToken(tampered, 'api://default'), 'a tampered signature');

  // A wrong secret is refused by the token endpoint, as openid-client reports it.
  const wrong = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret.slice(0, -1) + 'x'));
  await assert.rejects(oidc.clientCredentialsGrant(wrong, { scope: scopeName }), (e) => e.error === 'invalid_client');
});
