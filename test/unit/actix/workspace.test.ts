import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstAndReask, fixtureModel } from '../../helpers/fixtureModel';
import { actixHandlerMode } from '../../../modes/actix-handler';
import { buildHandlerContext } from '../../../modes/actix-handler/context';
import { openActixProject } from '../../../modes/actix-common/project';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { loadActix } from '../../../src/rust';
import { qualifiedName } from '../../../src/rust/dieselFns';
import { FIXTURES, fixtureFiles, GET_PROFILE, MemoryFs, routeTable, withChanges } from './helpers';

/**
 * A Cargo workspace (test/fixtures/actix-workspace): the Diesel code in an `app` crate, the Actix
 * app in an `api` crate that depends on it by path. The function index covers both crates, the
 * handler goes into the api crate and calls `app::domains::users::…` as the api crate names it.
 */

const WORKSPACE = path.join(FIXTURES, 'actix-workspace');
const model = fixtureModel();

describe('a workspace: Diesel in the app crate, Actix in the api crate', () => {
  it('indexes the app crate’s functions as the api crate names them, and reads the api crate’s routes and registered pool', async () => {
    const ap = await openActixProject(new NodeProjectFs(WORKSPACE));
    expect(ap).toMatchObject({ crateDir: 'api', deps: [{ dir: 'app', name: 'app' }] });
    expect(ap.p.info.crateDir).toBe('app');
    expect(ap.fns.map((f) => `${qualifiedName(f)} ${f.module} ${f.file}`).sort()).toEqual(
      ['create_user', 'get_profile', 'list_users'].map((n) => `users::${n} app::domains::users app/src/domains/users.rs`),
    );
    expect(ap.types.get('User')).toMatchObject({ module: 'app::models', kind: 'struct' });
    expect(routeTable(ap.actix)).toEqual(['GET /api/users -> list_users [service]', 'POST /api/users -> create_user [service]']);
    expect(ap.actix.appData.map((d) => d.type)).toEqual(['DbPool']);
  });

  it('plans the handler in the api crate beside its siblings, calling app::domains::users::get_profile', async () => {
    for (const fn of ['get_profile', 'users::get_profile', 'app::domains::users::get_profile']) {
      const r = await buildHandlerContext({ project: new NodeProjectFs(WORKSPACE), function: fn, request: 'Show a user’s profile.' });
      if (!('ctx' in r)) throw new Error(`${fn}: ${JSON.stringify(r.diagnostics)}`);
      expect(r.ctx).toMatchObject({ file: 'api/src/handlers/users.rs', module: 'crate::handlers::users', fnLabel: 'users::get_profile', site: { fn: 'config', file: 'api/src/handlers/users.rs' } });
      expect(r.ctx.request).toContain('call `users::get_profile(&mut conn, user_id)`');
      expect(r.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message)).toEqual([]);
    }
  });

  it('writes and registers the handler in the api crate; imports name the app crate', async () => {
    const files = fixtureFiles(WORKSPACE);
    for (const answer of [`\`\`\`rust\n${GET_PROFILE}\n\`\`\``, `\`\`\`rust\nuse crate::domains::users;\n\n${GET_PROFILE.replace('users::get_profile', 'app::domains::users::get_profile')}\n\`\`\``]) {
      model.server().setScript(firstAndReask(answer));
      const r = await actixHandlerMode.run({ project: new MemoryFs(files), function: 'get_profile', request: 'Show a user’s profile.' }, { client: model.client() });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.changeSet!.files.map((f) => f.path)).toEqual(['api/src/handlers/users.rs']);
      const text = r.changeSet!.files[0]!.proposed;
      expect(text).toContain('    cfg.service(list_users).service(create_user);\n    cfg.service(get_user_profile);\n');
      expect(text).toContain('#[get("/users/{user_id}/profile")]\npub async fn get_user_profile(');
      expect(text).not.toContain('crate::domains');
      const after = await loadActix(new MemoryFs(withChanges(files, r.changeSet!.files)), { crateDir: 'api', deps: [{ dir: 'app', name: 'app' }] });
      expect(routeTable(after)).toContain('GET /api/users/{user_id}/profile -> get_user_profile [service]');
    }
  });
});
