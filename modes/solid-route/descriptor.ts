import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'solid-route',
  order: 90,
  title: 'SolidJS route',
  description: 'Register a page in the @solidjs/router configuration and add a menu link (no model needed; never duplicates a route).',
  language: 'tsx',
  artifact: 'route',
  role: 'frontendEngineer',
  deterministic: true,
  needs: { request: false },
  inputs: ['file', 'struct', 'route'],
  requires: [],
  shaping: { usesTable: false, usesStruct: false, aliases: [/^(solid )?(page route|router page|nav link|navigation link|menu link)$/] },
} as const satisfies ModeDescriptor;
