// Which files the linter reads when walking folders.
export const SOURCE_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts'];

export function isSourceFile(name: string): boolean {
  const lower = name.toLowerCase();
  if (/\.d\.[mc]?ts$/.test(lower)) return false;
  return SOURCE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Test, mock and fixture code: its 401s are checks and mock replies, not emissions. */
export function isTestPath(path: string): boolean {
  const p = path.replace(/\\/g, '/').toLowerCase();
  if (/(^|\/)(test|tests|__tests__|__mocks__|mocks|fixtures|e2e|spec|specs|cypress|playwright)\//.test(p)) return true;
  return /\.(test|spec|e2e|stories)\.[cm]?[jt]sx?$/.test(p);
}
