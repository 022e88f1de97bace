// MCP servers built with the MCP TypeScript SDK (its bearer-auth middleware and metadata
// router) on 127.0.0.1, in a correct form and in the broken forms mcp-check must name.

import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { close } from '../runner-support';
import type { Idp } from '../oauth/idp';

export type Variant = 'good' | 'no-resource-metadata' | 'metadata-404' | 'well-known-403' | 'resource-mismatch' | 'issuer-mismatch' | 'no-s256' | 'public';

export interface McpTestServer {
  url: string;
  base: string;
  stop(): Promise<void>;
}

export async function startMcp(idp: Idp, variant: Variant): Promise<McpTestServer> {
  const idpMeta = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as OAuthMetadata;
  const app = express();
  app.use(express.json());
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mcpUrl = new URL(`${base}/mcp`);

  // The tokens are the provider's: verified against it, and for this resource only.
  const verifier = {
    async verifyAccessToken(token: string) {
      const t = (await idp.provider.AccessToken.find(token)) ?? (await idp.provider.ClientCredentials.find(token));
      if (!t || t.isExpired) throw new InvalidTokenError('unknown or expired token');
      return { token, clientId: t.clientId, scopes: String(t.scope ?? '').split(' ').filter(Boolean), expiresAt: t.exp };
    },
  };
  if (variant === 'well-known-403') app.use('/.well-known', (_req, res) => void res.status(403).json({ error: 'forbidden' }));
  if (variant === 'good' || variant === 'no-resource-metadata') app.use(mcpAuthMetadataRouter({ oauthMetadata: idpMeta, resourceServerUrl: mcpUrl, scopesSupported: ['api:read'] }));
  if (variant === 'resource-mismatch') app.use(mcpAuthMetadataRouter({ oauthMetadata: idpMeta, resourceServerUrl: new URL(`${base}/`) }));
  if (variant === 'no-s256') app.use(mcpAuthMetadataRouter({ oauthMetadata: { ...idpMeta, issuer: base, code_challenge_methods_supported: ['plain'] }, resourceServerUrl: mcpUrl }));
  if (variant === 'issuer-mismatch') {
    // The metadata names an authorization server at /as, which relays the provider's own document.
    app.get('/.well-known/oauth-protected-resource/mcp', (_req, res) => void res.json({ resource: mcpUrl.href, authorization_servers: [`${base}/as`] }));
    app.get('/as/.well-known/openid-configuration', (_req, res) => void res.json(idpMeta));
  }
  const rmUrl = variant === 'resource-mismatch' ? getOAuthProtectedResourceMetadataUrl(new URL(`${base}/`)) : getOAuthProtectedResourceMetadataUrl(mcpUrl);
  const auth = requireBearerAuth({ verifier, ...(variant === 'no-resource-metadata' ? {} : { resourceMetadataUrl: rmUrl }) });
  const handle = async (req: express.Request, res: express.Response): Promise<void> => {
    const mcp = new McpServer({ name: 'authlint-test', version: '1.0.0' });
    mcp.registerTool('ping', { description: 'answers pong' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };
  if (variant === 'public') app.post('/mcp', handle);
  else app.post('/mcp', auth, handle);
  return { url: mcpUrl.href, base, stop: () => close(server) };
}
