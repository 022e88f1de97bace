// The editor's side of {{$auth.token("id")}}: tokens kept in VS Code's SecretStorage (never in
// settings or the log), the browser opened for the authorization code, the device code shown.
import * as vscode from 'vscode';
import type { Interaction, TokenSet, TokenStore } from '../http/oauth';
import type { AuthRunOptions } from '../http/oauth/run-auth';

export class SecretTokenStore implements TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}
  async get(key: string): Promise<TokenSet | undefined> {
    const v = await this.secrets.get(key);
    if (!v) return undefined;
    try {
      return JSON.parse(v) as TokenSet;
    } catch {
      return undefined;
    }
  }
  async set(key: string, tokens: TokenSet): Promise<void> {
    await this.secrets.store(key, JSON.stringify(tokens));
  }
  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }
}

export function editorAuth(context: vscode.ExtensionContext): AuthRunOptions {
  const interaction: Interaction = {
    timeoutMs: 5 * 60_000,
    async onAuthorizationUrl(url) {
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
      void vscode.window.showInformationMessage('AuthLint: log in in the browser window that opened; the request is sent when the login completes.');
    },
    onDeviceCode(info) {
      // Not awaited: polling starts at once; the button works for as long as the notification shows.
      void vscode.window.showInformationMessage(`AuthLint: enter the code ${info.userCode} at ${info.verificationUri}`, 'Copy Code and Open').then(async (pick) => {
        if (!pick) return;
        await vscode.env.clipboard.writeText(info.userCode);
        await vscode.env.openExternal(vscode.Uri.parse(info.verificationUriComplete ?? info.verificationUri, true));
      });
    },
  };
  return { tokenStore: new SecretTokenStore(context.secrets), interaction };
}
