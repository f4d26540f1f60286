import { z } from 'zod';

/**
 * Model roles: each has its own server/model/temperature settings.
 * Specialists map onto model roles: backend and db work is done by the rust engineer,
 * frontend and ui design by the frontend engineer.
 */
export const MODEL_ROLES = ['rustEngineer', 'frontendEngineer', 'productOwner', 'projectManager', 'engineeringManager'] as const;
export const ModelRole = z.enum(MODEL_ROLES);
export type ModelRole = z.infer<typeof ModelRole>;

/** Roles a task can be assigned to by the Project Manager. */
export const SPECIALIST_ROLES = ['backend', 'frontend', 'db', 'ui_designer'] as const;
export const SpecialistRole = z.enum(SPECIALIST_ROLES);
export type SpecialistRole = z.infer<typeof SpecialistRole>;

/** Who wrote a chat message, comment or task event. */
export const ActorRole = z.enum(['user', 'product_owner', 'project_manager', 'engineering_manager', 'backend', 'frontend', 'db', 'ui_designer', 'system']);
export type ActorRole = z.infer<typeof ActorRole>;

export const SPECIALIST_MODEL_ROLE: Record<SpecialistRole, ModelRole> = {
  backend: 'rustEngineer',
  db: 'rustEngineer',
  frontend: 'frontendEngineer',
  ui_designer: 'frontendEngineer',
};

export const ROLE_LABELS: Record<ActorRole, string> = {
  user: 'You',
  product_owner: 'Product Owner',
  project_manager: 'Project Manager',
  engineering_manager: 'Engineering Manager',
  backend: 'Backend Engineer',
  frontend: 'Frontend Engineer',
  db: 'Database Engineer',
  ui_designer: 'UI Designer',
  system: 'nocodo',
};
