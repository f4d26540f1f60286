import { describe, expect, it } from 'vitest';
import { readCargo } from '../../../src/rust';

describe('readCargo', () => {
  it('reads diesel version, backends and actix-web', () => {
    const c = readCargo(`[package]
name = "shop"
version = "0.1.0"

[dependencies]
actix-web = "4"
diesel = { version = "2.2.0", features = ["postgres", "chrono", "r2d2"] }
`);
    expect(c).toMatchObject({ packageName: 'shop', dieselVersion: '2.2.0', backends: ['pg'], backend: 'pg', async: false, actix: true, actixVersion: '4' });
    expect(c.dieselFeatures).toEqual(['postgres', 'chrono', 'r2d2']);
    expect(c.diagnostics).toEqual([]);
  });

  it('takes the first of several backends and keeps their order', () => {
    const c = readCargo('[dependencies]\ndiesel = { version = "2.0.3", features = ["sqlite", "mysql", "postgres"] }\n');
    expect(c.backends).toEqual(['sqlite', 'mysql', 'pg']);
    expect(c.backend).toBe('sqlite');
  });

  it('reads diesel-async and its backend', () => {
    const c = readCargo('[dependencies]\ndiesel = "=2.3.12"\ndiesel-async = { version = "0.7", features = ["postgres", "deadpool"] }\n');
    expect(c).toMatchObject({ dieselVersion: '=2.3.12', async: true, dieselAsyncVersion: '0.7', backends: ['pg'], backend: 'pg', actix: false });
  });

  it('follows backend features switched on by default features, and renamed dependencies', () => {
    const c = readCargo(`[dependencies]
orm = { package = "diesel", version = "2", default-features = false, optional = true }

[features]
default = ["postgres"]
postgres = ["orm/postgres"]
mysql = ["orm/mysql"]
`);
    expect(c.backends).toEqual(['pg']);
    expect(c.dieselVersion).toBe('2');
  });

  it('inherits workspace dependencies', () => {
    const c = readCargo('[package]\nname = "db"\n[dependencies]\ndiesel = { workspace = true, features = ["chrono"] }\n', {
      workspaceText: '[workspace]\nmembers = ["db"]\n[workspace.dependencies]\ndiesel = { version = "2.1", features = ["postgres"] }\n',
    });
    expect(c).toMatchObject({ dieselVersion: '2.1', backends: ['pg'] });
    expect(c.dieselFeatures).toEqual(['postgres', 'chrono']);
  });

  it('reads target-specific dependencies', () => {
    const c = readCargo("[target.'cfg(unix)'.dependencies]\ndiesel = { version = \"2\", features = [\"mysql\"] }\n");
    expect(c.backend).toBe('mysql');
  });

  it('malformed TOML: diagnostics with a line, never an exception', () => {
    const c = readCargo('[dependencies]\ndiesel = { version = "2"\nactix-web = "4"\n', { file: 'Cargo.toml' });
    expect(c.backends).toEqual([]);
    expect(c.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'cargo-toml', file: 'Cargo.toml', line: expect.any(Number) })]);
    expect(readCargo('\u0000 not toml ]]]').diagnostics[0]?.code).toBe('cargo-toml');
  });

  it('says when diesel or its backend is missing', () => {
    expect(readCargo('[dependencies]\nserde = "1"\n').diagnostics.map((d) => d.code)).toEqual(['no-diesel']);
    expect(readCargo('[dependencies]\ndiesel = "2"\n').diagnostics.map((d) => d.code)).toEqual(['no-backend']);
  });
});
