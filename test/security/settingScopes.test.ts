import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue #14: a repository's .vscode/settings.json must not choose what nocodo runs or loads.
// Settings naming a program or a file for native code are machine-scoped (user settings only),
// and everything a workspace could aim elsewhere is restricted in an untrusted workspace.

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { scope?: string }> }[] | { properties: Record<string, { scope?: string }> } };
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
};
const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
const properties = Object.assign({}, ...sections.map((s) => s.properties)) as Record<string, { scope?: string }>;

describe('settings a workspace must not choose', () => {
  const pathsToRunOrLoad = ['nocodo.rustfmt.path', 'nocodo.localModel.path'];

  it.each(pathsToRunOrLoad)('%s is a machine setting and restricted in Restricted Mode', (key) => {
    expect(properties[key], `${key} is contributed`).toBeDefined();
    expect(properties[key]!.scope).toBe('machine');
    expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain(key);
  });

  it('every base URL and auto-run are restricted in Restricted Mode', () => {
    const aimed = Object.keys(properties).filter((k) => /\.baseUrl$/.test(k) || k === 'nocodo.team.autoRun');
    expect(aimed.length).toBeGreaterThan(2);
    for (const key of aimed) expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, key).toContain(key);
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
  });
});
